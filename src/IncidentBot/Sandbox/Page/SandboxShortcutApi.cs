using IncidentBot.SlackFake;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// <c>/sandbox/api/shortcuts/…</c> and <c>/sandbox/api/home/open</c>: what a person starts from Slack's own menus
/// rather than from a message the bot wrote: a shortcut from the ⚡ menu or a message's "More actions", and the
/// app's Home tab. Each is done through the fake Slack's driver, as Slack would tell the bot.
/// </summary>
public static class SandboxShortcutApi
{
    public static RouteGroupBuilder MapSandboxShortcutApi(this RouteGroupBuilder api)
    {
        api.MapPost("/shortcuts/global", (GlobalShortcutRequest request, FakeSlackServer slack, CancellationToken ct) =>
            SandboxPageApi.ActAsync(slack, request.User, () => slack.Driver.RunGlobalShortcutAsync(request.User, request.CallbackId, ct)));
        api.MapPost("/shortcuts/message", (MessageShortcutRequest request, FakeSlackServer slack, CancellationToken ct) =>
            SandboxPageApi.ActAsync(slack, request.User, () => slack.Driver.RunMessageShortcutAsync(request.User, request.Channel, request.Ts, request.CallbackId, ct)));
        // Slack sends app_home_opened each time the person enters the tab; the page calls this once per visit, not per poll.
        api.MapPost("/home/open", (HomeRequest request, FakeSlackServer slack, CancellationToken ct) =>
            SandboxPageApi.ActAsync(slack, request.User, () => slack.Driver.OpenAppHomeAsync(request.User, ct)));
        return api;
    }

    public sealed record GlobalShortcutRequest(string User, string CallbackId);

    public sealed record MessageShortcutRequest(string User, string Channel, string Ts, string CallbackId);

    public sealed record HomeRequest(string User);
}

/// <summary>A shortcut the page offers: <see cref="Type"/> is <c>global</c> (the ⚡ menu) or <c>message</c> (a message's "More actions").</summary>
public sealed record PageShortcut(string CallbackId, string Name, string Type)
{
    public static PageShortcut From(AppShortcut shortcut) =>
        new(shortcut.CallbackId, shortcut.Name, shortcut.Type == ShortcutType.Global ? "global" : "message");
}
