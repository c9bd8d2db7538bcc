namespace IncidentBot.Slack.WebApi;

/// <summary>
/// The <c>apps.*</c> methods that take the app-level token. Deliberately not a family of <see cref="ISlackApiClient"/>:
/// handlers act with the bot token, and only the Socket Mode transport opens connections.
/// </summary>
public interface IAppsApi
{
    /// <summary>apps.connections.open: a one-use WebSocket URL for Socket Mode (slack-protocol.md §5.1).</summary>
    Task<AppsConnectionsOpenResponse> ConnectionsOpenAsync(CancellationToken cancellationToken);
}

internal sealed class AppsApi(SlackApiTransport transport) : IAppsApi
{
    public Task<AppsConnectionsOpenResponse> ConnectionsOpenAsync(CancellationToken cancellationToken) =>
        transport.CallAsync<AppsConnectionsOpenResponse>(SlackMethods.AppsConnectionsOpen, null, cancellationToken);
}

public sealed record AppsConnectionsOpenResponse : SlackResponse
{
    public Uri? Url { get; init; }
}
