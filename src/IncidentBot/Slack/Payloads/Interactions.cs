using System.Text.Json;

namespace IncidentBot.Slack.Payloads;

/// <summary>Any interactivity payload (form field <c>payload</c> on HTTP; <c>interactive</c> envelopes over Socket Mode).</summary>
public abstract record InteractionPayload
{
    public string Type { get; init; } = "";
    public string? ApiAppId { get; init; }
    public TeamRef? Team { get; init; }
    public UserRef User { get; init; } = new();
    public string? TriggerId { get; init; }
}

public sealed record UnknownInteraction : InteractionPayload;

public sealed record TeamRef
{
    public string Id { get; init; } = "";
    public string? Domain { get; init; }
}

public sealed record UserRef
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Username { get; init; }
}

public sealed record ChannelRef
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
}

public sealed record BlockActions : InteractionPayload
{
    public ActionContainer? Container { get; init; }
    public ChannelRef? Channel { get; init; }
    public MessageEvent? Message { get; init; }
    public ViewPayload? View { get; init; }
    public string? ResponseUrl { get; init; }
    public ViewState? State { get; init; }
    public IReadOnlyList<BlockAction> Actions { get; init; } = [];
}

public sealed record ActionContainer
{
    public string Type { get; init; } = "";
    public string? MessageTs { get; init; }
    public string? ChannelId { get; init; }
    public string? ViewId { get; init; }
    public bool IsEphemeral { get; init; }
}

/// <summary>One element's action; which Selected* is set depends on the element type.</summary>
public sealed record BlockAction
{
    public string ActionId { get; init; } = "";
    public string? BlockId { get; init; }
    public string Type { get; init; } = "";
    public string? Value { get; init; }
    public string? ActionTs { get; init; }
    public SelectedOption? SelectedOption { get; init; }
    public IReadOnlyList<SelectedOption>? SelectedOptions { get; init; }
    public string? SelectedUser { get; init; }
    public IReadOnlyList<string>? SelectedUsers { get; init; }
    public string? SelectedConversation { get; init; }
    public string? SelectedChannel { get; init; }
    public string? SelectedDate { get; init; }
}

public sealed record SelectedOption
{
    public string Value { get; init; } = "";
    public JsonElement? Text { get; init; }
}

/// <summary>A global shortcut (the ⚡ menu, or search): no channel, only a trigger to open a modal.</summary>
public sealed record GlobalShortcut : InteractionPayload
{
    public string CallbackId { get; init; } = "";
    public string? ActionTs { get; init; }
}

/// <summary>A message shortcut (a message's "More actions" menu): the message, its channel, a response_url.</summary>
public sealed record MessageShortcut : InteractionPayload
{
    public string CallbackId { get; init; } = "";
    public ChannelRef Channel { get; init; } = new();
    public MessageEvent Message { get; init; } = new();
    public string MessageTs { get; init; } = "";
    public string? ResponseUrl { get; init; }
}

public sealed record ViewSubmission : InteractionPayload
{
    public ViewPayload View { get; init; } = new();
    public IReadOnlyList<JsonElement>? ResponseUrls { get; init; }
}

public sealed record ViewPayload
{
    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public string CallbackId { get; init; } = "";
    public string? PrivateMetadata { get; init; }
    public string? Hash { get; init; }
    public string? RootViewId { get; init; }
    public string? PreviousViewId { get; init; }
    public ViewState? State { get; init; }
}

/// <summary><c>state.values</c>: block_id → action_id → value.</summary>
public sealed record ViewState
{
    public Dictionary<string, Dictionary<string, StateValue>> Values { get; init; } = [];

    public StateValue? Get(string blockId, string actionId) =>
        Values.TryGetValue(blockId, out var block) && block.TryGetValue(actionId, out var value) ? value : null;
}

public sealed record StateValue
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public SelectedOption? SelectedOption { get; init; }
    public IReadOnlyList<SelectedOption>? SelectedOptions { get; init; }
    public string? SelectedUser { get; init; }
    public IReadOnlyList<string>? SelectedUsers { get; init; }
    public string? SelectedConversation { get; init; }
    public string? SelectedChannel { get; init; }
    public string? SelectedDate { get; init; }
    public string? SelectedTime { get; init; }
}

/// <summary>What a view_submission handler answers within 3 s (slack-protocol.md §4.3); null closes the view.</summary>
public sealed record ViewSubmissionResponse
{
    public required string ResponseAction { get; init; }
    public IReadOnlyDictionary<string, string>? Errors { get; init; }
    public JsonElement? View { get; init; }

    public static ViewSubmissionResponse WithErrors(IReadOnlyDictionary<string, string> errors) =>
        new() { ResponseAction = "errors", Errors = errors };

    /// <summary>Keeps the form open with <paramref name="message"/> under the input block <paramref name="blockId"/>.</summary>
    public static ViewSubmissionResponse WithError(string blockId, string message) =>
        WithErrors(new Dictionary<string, string> { [blockId] = message });

    public static ViewSubmissionResponse Clear() => new() { ResponseAction = "clear" };
}
