using System.Text.Json;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Json;

namespace IncidentBot.Slack.WebApi;

public interface IViewsApi
{
    /// <summary>views.open: the trigger id works once and only for 3 s, so call this before any slow work.</summary>
    Task<OpenViewResponse> OpenAsync(OpenViewRequest request, CancellationToken cancellationToken);

    /// <summary>views.push: a view on top of the open one (a stack of 3 at most), with a trigger id from an action in it.</summary>
    Task<OpenViewResponse> PushAsync(OpenViewRequest request, CancellationToken cancellationToken);

    /// <summary>views.update: replaces an open view; with a hash, Slack refuses (<c>hash_conflict</c>) when the view changed since.</summary>
    Task<OpenViewResponse> UpdateAsync(UpdateViewRequest request, CancellationToken cancellationToken);

    /// <summary>views.publish: a person's App Home tab.</summary>
    Task<OpenViewResponse> PublishAsync(PublishViewRequest request, CancellationToken cancellationToken);
}

internal sealed class ViewsApi(SlackApiTransport transport) : IViewsApi
{
    public Task<OpenViewResponse> OpenAsync(OpenViewRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<OpenViewResponse>(SlackMethods.ViewsOpen, request, cancellationToken);

    public Task<OpenViewResponse> PushAsync(OpenViewRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<OpenViewResponse>(SlackMethods.ViewsPush, request, cancellationToken);

    public Task<OpenViewResponse> UpdateAsync(UpdateViewRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<OpenViewResponse>(SlackMethods.ViewsUpdate, request, cancellationToken);

    public Task<OpenViewResponse> PublishAsync(PublishViewRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<OpenViewResponse>(SlackMethods.ViewsPublish, request, cancellationToken);
}

public sealed record PublishViewRequest
{
    public required string UserId { get; init; }
    public required JsonElement View { get; init; }

    public static PublishViewRequest For(string userId, HomeView view) => new() { UserId = userId, View = JsonSerializer.SerializeToElement(view, SlackJson.Options) };
}

public sealed record OpenViewRequest
{
    public required string TriggerId { get; init; }
    public required JsonElement View { get; init; }

    public static OpenViewRequest For(string triggerId, ModalView view) => new() { TriggerId = triggerId, View = ModalJson.Of(view) };
}

public sealed record UpdateViewRequest
{
    public required string ViewId { get; init; }
    public string? Hash { get; init; }
    public required JsonElement View { get; init; }

    public static UpdateViewRequest For(string viewId, string? hash, ModalView view) => new() { ViewId = viewId, Hash = hash, View = ModalJson.Of(view) };
}

public static class ModalJson
{
    public static JsonElement Of(ModalView view) => JsonSerializer.SerializeToElement(view, SlackJson.Options);
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
