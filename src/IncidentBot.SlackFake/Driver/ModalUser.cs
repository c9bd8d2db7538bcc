using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// A person using Slack's interactive surfaces: typing into a modal, clicking its buttons (or those of their Home
/// tab), submitting or closing it, and clicking a button in a message. Each sends the bot what Slack sends, with a
/// fresh trigger_id.
/// </summary>
internal sealed class ModalUser(
    FakeWorkspace workspace,
    InteractionPayloads payloads,
    TriggerIdRegistry triggers,
    ResponseUrlRegistry responseUrls,
    Func<string, Uri> responseUrlFor,
    Func<JsonObject, CancellationToken, Task<DeliveryResult>> send)
{
    private readonly ViewSubmissionAnswer _answers = new(workspace);

    public void SetValue(string userId, string viewId, string blockId, string actionId, string value) =>
        workspace.SetViewValue(userId, viewId, blockId, actionId, value);

    /// <summary>Slack ignores the body of a block_actions answer; only a failed delivery shows (as trouble connecting).</summary>
    public async Task<ViewInteractionResult> ClickViewButtonAsync(string userId, string viewId, string actionId, string? blockId, CancellationToken cancellationToken)
    {
        var view = workspace.RequireShownView(userId, viewId);
        var (button, foundBlockId) = BlockButtons.Find(JsonNode.Parse(view.View.GetProperty("blocks").GetRawText()) as JsonArray, actionId, blockId, $"view {viewId}");
        var triggerId = triggers.Issue(userId);
        var payload = payloads.ViewBlockActions(userId, view, payloads.ButtonAction(button, foundBlockId), triggerId);
        var delivery = await send(payload, cancellationToken);
        return new ViewInteractionResult(delivery, triggerId, workspace.TopViewOf(userId))
        {
            Refusal = delivery.Succeeded ? null : ViewInteractionResult.TroubleConnecting,
        };
    }

    public async Task<ViewInteractionResult> SubmitAsync(string userId, string viewId, CancellationToken cancellationToken)
    {
        var view = workspace.RequireTopView(userId, viewId);
        if (!view.View.TryGetProperty("submit", out var submit) || submit.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("no_submit_button", [$"view {viewId} has no submit button"]);
        }

        var triggerId = triggers.Issue(userId);
        var delivery = await send(payloads.ViewSubmission(userId, view, triggerId), cancellationToken);
        return _answers.Apply(userId, view, delivery, triggerId);
    }

    /// <summary>Close (or Cancel): pops the view, or the whole stack with <c>clear_on_close</c>; view_closed only with <c>notify_on_close</c>.</summary>
    public async Task<ViewInteractionResult> CloseAsync(string userId, string viewId, CancellationToken cancellationToken)
    {
        var view = workspace.RequireTopView(userId, viewId);
        var clear = workspace.ClearsOnClose(viewId);
        workspace.CloseView(userId, viewId, clear);
        DeliveryResult? delivery = null;
        if (view.View.TryGetProperty("notify_on_close", out var notify) && notify.ValueKind == JsonValueKind.True)
        {
            delivery = await send(payloads.ViewClosed(userId, view, clear), cancellationToken);
        }

        return new ViewInteractionResult(delivery, null, workspace.TopViewOf(userId));
    }

    /// <summary>
    /// A button with a <c>confirm</c> object first shows Slack's dialog: <paramref name="confirm"/> picks its confirm
    /// button (the click goes to the bot) or its deny button (nothing is sent: null).
    /// </summary>
    public async Task<MessageButtonResult?> ClickMessageButtonAsync(string userId, string channelId, string messageTs, string actionId, string? blockId, bool confirm, CancellationToken cancellationToken)
    {
        var message = workspace.GetMessage(channelId, messageTs);
        var blocks = message.Blocks is { } stored ? JsonNode.Parse(stored.GetRawText()) as JsonArray : null;
        (var button, blockId) = BlockButtons.Find(blocks, actionId, blockId, $"message {messageTs}");
        if (!confirm && button["confirm"] is JsonObject)
        {
            return null;
        }

        var responseUrlId = responseUrls.Issue(channelId, userId);
        var responseUrl = responseUrlFor(responseUrlId);
        var triggerId = triggers.Issue(userId);
        var payload = payloads.MessageBlockActions(userId, message, workspace.GetChannel(channelId), payloads.ButtonAction(button, blockId), triggerId, responseUrl);
        var delivery = await send(payload, cancellationToken);
        return new MessageButtonResult(delivery, triggerId, responseUrlId, responseUrl);
    }
}
