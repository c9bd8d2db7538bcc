using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// A person running one of the app's shortcuts: from the ⚡ menu (global) or from a message's "More actions" menu
/// (message, only in a channel they are in, as Slack shows that menu only there). Each sends a fresh trigger_id.
/// </summary>
internal sealed class ShortcutUser(
    FakeSlackOptions options,
    FakeWorkspace workspace,
    InteractionPayloads payloads,
    TriggerIdRegistry triggers,
    ResponseUrlRegistry responseUrls,
    Func<string, Uri> responseUrlFor,
    Func<JsonObject, CancellationToken, Task<DeliveryResult>> send)
{
    public async Task<ShortcutResult> RunGlobalAsync(string userId, string callbackId, CancellationToken cancellationToken)
    {
        RequireDeclared(callbackId, ShortcutType.Global);
        workspace.GetUser(userId);
        var triggerId = triggers.Issue(userId);
        var delivery = await send(payloads.GlobalShortcut(userId, callbackId, triggerId), cancellationToken);
        return new ShortcutResult(delivery, triggerId);
    }

    public async Task<ShortcutResult> RunOnMessageAsync(string userId, string channelId, string messageTs, string callbackId, CancellationToken cancellationToken)
    {
        RequireDeclared(callbackId, ShortcutType.Message);
        var channel = workspace.GetChannel(channelId);
        if (!channel.HasMember(userId))
        {
            throw new FakeSlackException("not_in_channel", [$"{userId} is not in {channelId}: Slack offers message shortcuts only in channels the person is in"]);
        }

        var message = workspace.GetMessage(channelId, messageTs);
        var responseUrlId = responseUrls.Issue(channelId, userId);
        var responseUrl = responseUrlFor(responseUrlId);
        var triggerId = triggers.Issue(userId);
        var delivery = await send(payloads.MessageShortcut(userId, message, channel, callbackId, triggerId, responseUrl), cancellationToken);
        return new ShortcutResult(delivery, triggerId, responseUrlId, responseUrl);
    }

    /// <summary>Slack offers only the shortcuts the app declares; with none listed, the fake lets any through (tests of the payload alone).</summary>
    private void RequireDeclared(string callbackId, ShortcutType type)
    {
        if (options.Shortcuts.Count > 0 && !options.Shortcuts.Any(s => s.CallbackId == callbackId && s.Type == type))
        {
            throw new FakeSlackException("shortcut_not_found", [$"the app declares no {type.ToString().ToLowerInvariant()} shortcut {callbackId}"]);
        }
    }
}
