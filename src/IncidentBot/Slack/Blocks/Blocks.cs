using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Blocks;

// Minimal Block Kit: only the blocks the bot sends. The type map is explicit, like the event map.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
public abstract record Block
{
    public string? BlockId { get; init; }
}

public sealed record HeaderBlock(PlainText Text) : Block
{
    /// <summary>Slack rejects longer header text (slack-protocol.md §9.2).</summary>
    public const int MaxTextLength = 150;
}

public sealed record SectionBlock(TextObject Text) : Block
{
    public const int MaxTextLength = 3000;
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

public sealed record ButtonElement(PlainText Text, string ActionId)
{
    public string Type => "button";
    public string? Value { get; init; }
    public string? Style { get; init; }
}

public static class BlockLimits
{
    public const int BlocksPerMessage = 50;
}
