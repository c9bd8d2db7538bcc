using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Blocks;

// Minimal Block Kit: only the blocks the bot sends. The type map is explicit, like the event map. Text is declared as
// TextObject everywhere (even where Slack takes only plain_text) so that its "type" is always written.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(InputBlock), "input")]
public abstract record Block
{
    public string? BlockId { get; init; }
}

public sealed record HeaderBlock(TextObject Text) : Block
{
    /// <summary>Slack rejects longer header text (slack-protocol.md §9.2).</summary>
    public const int MaxTextLength = 150;
}

public sealed record SectionBlock(TextObject Text) : Block
{
    public const int MaxTextLength = 3000;

    public ButtonElement? Accessory { get; init; }
}

public sealed record ContextBlock(IReadOnlyList<TextObject> Elements) : Block;

public sealed record DividerBlock : Block;

public sealed record ActionsBlock(IReadOnlyList<ButtonElement> Elements) : Block;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlainText), "plain_text")]
[JsonDerivedType(typeof(Mrkdwn), "mrkdwn")]
public abstract record TextObject(string Text);

public sealed record PlainText(string Text) : TextObject(Text)
{
    public bool Emoji { get; init; } = true;
}

public sealed record Mrkdwn(string Text) : TextObject(Text)
{
    /// <summary>True stops Slack from auto-linking URLs and names in user text.</summary>
    public bool Verbatim { get; init; }
}

public sealed record ButtonElement(TextObject Text, string ActionId)
{
    public string Type => "button";
    public string? Value { get; init; }
    public string? Style { get; init; }

    /// <summary>Slack asks "are you sure?" with this dialog before it sends the click.</summary>
    public ConfirmDialog? Confirm { get; init; }
}

/// <summary>A button's confirmation dialog (title 100, text 300, buttons 30 characters at most).</summary>
public sealed record ConfirmDialog(TextObject Title, TextObject Text, TextObject Confirm, TextObject Deny)
{
    public const int MaxTextLength = 300;

    public string? Style { get; init; }
}

public static class BlockLimits
{
    public const int BlocksPerMessage = 50;
    public const int BlocksPerModal = 100;
}

/// <summary>An input in a modal; its value arrives in the submission's <c>state.values[block_id][action_id]</c>.</summary>
public sealed record InputBlock(TextObject Label, InputElement Element) : Block
{
    public const int MaxLabelLength = 2000;

    public TextObject? Hint { get; init; }

    public bool Optional { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlainTextInput), "plain_text_input")]
[JsonDerivedType(typeof(DatePicker), "datepicker")]
[JsonDerivedType(typeof(TimePicker), "timepicker")]
[JsonDerivedType(typeof(StaticSelect), "static_select")]
[JsonDerivedType(typeof(UsersSelect), "users_select")]
public abstract record InputElement(string ActionId);

public sealed record PlainTextInput(string ActionId) : InputElement(ActionId)
{
    /// <summary>Slack refuses an initial value or a maximum over this.</summary>
    public const int MaxLength = 3000;

    public bool Multiline { get; init; }
    public string? InitialValue { get; init; }
    [JsonPropertyName("max_length")]
    public int? MaxLengthLimit { get; init; }
    public TextObject? Placeholder { get; init; }
}

/// <summary><c>selected_date</c> arrives as <c>YYYY-MM-DD</c>.</summary>
public sealed record DatePicker(string ActionId) : InputElement(ActionId)
{
    public string? InitialDate { get; init; }
}

/// <summary><c>selected_time</c> arrives as <c>HH:mm</c>, in the time zone the element names (UTC here, always).</summary>
public sealed record TimePicker(string ActionId) : InputElement(ActionId)
{
    public string? InitialTime { get; init; }
    public string? Timezone { get; init; }
}

public sealed record StaticSelect(string ActionId, IReadOnlyList<SelectOption> Options) : InputElement(ActionId)
{
    public SelectOption? InitialOption { get; init; }
}

/// <summary>
/// One option; <paramref name="Description"/> is shown under it (plain text, 75 characters at most).
/// </summary>
public sealed record SelectOption(TextObject Text, string Value)
{
    public const int MaxDescriptionLength = 75;

    public TextObject? Description { get; init; }
}

/// <summary>A person of the workspace; <c>selected_user</c> arrives as their id.</summary>
public sealed record UsersSelect(string ActionId) : InputElement(ActionId)
{
    public string? InitialUser { get; init; }
}

/// <summary>An App Home tab for views.publish (100 blocks).</summary>
public sealed record HomeView(IReadOnlyList<Block> Blocks)
{
    public string Type => "home";
    public string? CallbackId { get; init; }
}

/// <summary>A modal for views.open, views.push and views.update (title, submit and close: 24 characters at most).</summary>
public sealed record ModalView(TextObject Title, IReadOnlyList<Block> Blocks)
{
    public const int MaxTitleLength = 24;
    public const int MaxPrivateMetadataLength = 3000;

    public string Type => "modal";
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public TextObject? Submit { get; init; }
    public TextObject? Close { get; init; }
}
