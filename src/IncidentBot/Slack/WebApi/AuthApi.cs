namespace IncidentBot.Slack.WebApi;

public interface IAuthApi
{
    /// <summary>auth.test: who this token is (the bot's user id and bot id).</summary>
    Task<AuthTestResponse> TestAsync(CancellationToken cancellationToken);
}

internal sealed class AuthApi(SlackApiTransport transport) : IAuthApi
{
    public Task<AuthTestResponse> TestAsync(CancellationToken cancellationToken) =>
        transport.CallAsync<AuthTestResponse>(SlackMethods.AuthTest, null, cancellationToken);
}

public sealed record AuthTestResponse : SlackResponse
{
    public string? Url { get; init; }
    public string? Team { get; init; }
    public string? User { get; init; }
    public string TeamId { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? BotId { get; init; }

    /// <summary>The app this token belongs to (Slack sends it for bot tokens), to tell this app's requests from another's.</summary>
    public string? AppId { get; init; }
}
