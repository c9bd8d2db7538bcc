namespace IncidentBot.Slack.WebApi;

public interface IReactionsApi
{
    /// <summary>reactions.add; <see cref="AddReactionRequest.Name"/> is the emoji name without colons.</summary>
    Task<SlackResponse> AddAsync(AddReactionRequest request, CancellationToken cancellationToken);

    /// <summary>reactions.remove: takes away the bot's own reaction (Slack answers <c>no_reaction</c> when there is none).</summary>
    Task<SlackResponse> RemoveAsync(RemoveReactionRequest request, CancellationToken cancellationToken);
}

internal sealed class ReactionsApi(SlackApiTransport transport) : IReactionsApi
{
    public Task<SlackResponse> AddAsync(AddReactionRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<SlackResponse>(SlackMethods.ReactionsAdd, request, cancellationToken);

    public Task<SlackResponse> RemoveAsync(RemoveReactionRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<SlackResponse>(SlackMethods.ReactionsRemove, request, cancellationToken);
}

public sealed record AddReactionRequest
{
    public required string Channel { get; init; }
    public required string Timestamp { get; init; }
    public required string Name { get; init; }
}

public sealed record RemoveReactionRequest
{
    public required string Channel { get; init; }
    public required string Timestamp { get; init; }
    public required string Name { get; init; }
}
