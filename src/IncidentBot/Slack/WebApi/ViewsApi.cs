using System.Text.Json;

namespace IncidentBot.Slack.WebApi;

public interface IViewsApi
{
    /// <summary>views.open: the trigger id works once and only for 3 s, so call this before any slow work.</summary>
    Task<OpenViewResponse> OpenAsync(OpenViewRequest request, CancellationToken cancellationToken);
}

internal sealed class ViewsApi(SlackApiTransport transport) : IViewsApi
{
    public Task<OpenViewResponse> OpenAsync(OpenViewRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<OpenViewResponse>(SlackMethods.ViewsOpen, request, cancellationToken);
}

public sealed record OpenViewRequest
{
    public required string TriggerId { get; init; }
    public required JsonElement View { get; init; }
}

public sealed record OpenViewResponse : SlackResponse
{
    public OpenedView View { get; init; } = new();
}

public sealed record OpenedView
{
    public string Id { get; init; } = "";
    public string? Hash { get; init; }
}
