using System.Collections.Immutable;
using System.Text.Json;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// A modal as Slack keeps it: the view JSON Slack returns and sends (id, hash, state, root/previous view ids...),
/// where it sits in its user's stack, and the errors the bot last asked it to show. A snapshot: it never changes.
/// </summary>
public sealed record FakeView
{
    public required string Id { get; init; }

    /// <summary>The trigger_id that opened or pushed it.</summary>
    public required string TriggerId { get; init; }

    /// <summary>Whose modal it is: the user the trigger_id was issued for (null for a trigger issued for nobody).</summary>
    public string? UserId { get; init; }

    /// <summary>The current hash, as views.update compares it (<c>1700000000.ab12cd34</c>); new on every update.</summary>
    public required string Hash { get; init; }

    /// <summary>The view exactly as Slack returns it from views.* and puts it in interaction payloads, state included.</summary>
    public required string ViewJson { get; init; }

    public long Opened { get; init; }

    public string CallbackId { get; init; } = "";

    public string PrivateMetadata { get; init; } = "";

    public string ExternalId { get; init; } = "";

    public required string RootViewId { get; init; }

    public string? PreviousViewId { get; init; }

    /// <summary>1 for the root view, 2 and 3 for pushed views; 0 once closed.</summary>
    public int StackDepth { get; init; }

    public bool IsOpen => StackDepth > 0;

    /// <summary>What the bot's last <c>response_action: errors</c> shows under input blocks, by block_id.</summary>
    public ImmutableDictionary<string, string> Errors { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The view JSON parsed (a fresh copy each call).</summary>
    public JsonElement View
    {
        get
        {
            using var document = JsonDocument.Parse(ViewJson);
            return document.RootElement.Clone();
        }
    }

    /// <summary><c>state.values</c>: block_id → action_id → the element's current value.</summary>
    public JsonElement StateValues => View.GetProperty("state").GetProperty("values");

    /// <summary>One input's state entry (e.g. <c>{"type":"plain_text_input","value":"…"}</c>), null when the view has no such input.</summary>
    public JsonElement? StateOf(string blockId, string actionId) =>
        StateValues.TryGetProperty(blockId, out var block) && block.TryGetProperty(actionId, out var entry) ? entry : null;
}
