namespace IncidentBot.Slack.WebApi;

public interface IPinsApi
{
    Task<SlackResponse> AddAsync(PinRequest request, CancellationToken cancellationToken);
}

internal sealed class PinsApi(SlackApiTransport transport) : IPinsApi
{
    public Task<SlackResponse> AddAsync(PinRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<SlackResponse>(SlackMethods.PinsAdd, request, cancellationToken);
}

public sealed record PinRequest
{
    public required string Channel { get; init; }
    public required string Timestamp { get; init; }
}
