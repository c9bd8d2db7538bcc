using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// Slack text and Block Kit as the sandbox page shows them, as safe HTML: every character of the message is
/// HTML-encoded first, then only the markup this class writes itself is added (bold, italic, code, links, names).
/// </summary>
public sealed partial class MrkdwnHtml(Func<string, string?> userName, Func<string, string?> channelName)
{
    /// <summary>Slack mrkdwn (with its three escapes and &lt;…&gt; tokens) to HTML.</summary>
    public string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var html = new StringBuilder();
        var last = 0;
        foreach (Match token in TokenPattern().Matches(text))
        {
            html.Append(Plain(text[last..token.Index]));
            html.Append(Token(token.Groups["sigil"].Value, token.Groups["id"].Value, token.Groups["label"].Success ? token.Groups["label"].Value : null));
            last = token.Index + token.Length;
        }

        html.Append(Plain(text[last..]));
        return html.ToString();
    }

    /// <summary>A message's blocks (header, section, context, divider, actions with clickable buttons) to HTML; null when there are none to show.</summary>
    public string? Blocks(JsonElement? blocks)
    {
        if (blocks is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            return null;
        }

        var html = new StringBuilder();
        foreach (var block in array.EnumerateArray())
        {
            switch (Str(block, "type"))
            {
                case "header":
                    html.Append("<p class=\"b-header\">").Append(Emoji.Replace(Encode(TextOf(block, "text")))).Append("</p>");
                    break;
                case "section":
                    html.Append("<div class=\"b-section\">");
                    if (block.TryGetProperty("text", out var text))
                    {
                        html.Append("<div>").Append(TextObject(text)).Append("</div>");
                    }

                    if (block.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
                    {
                        html.Append("<div class=\"b-fields\">");
                        foreach (var field in fields.EnumerateArray())
                        {
                            html.Append("<div>").Append(TextObject(field)).Append("</div>");
                        }

                        html.Append("</div>");
                    }

                    if (block.TryGetProperty("accessory", out var accessory))
                    {
                        html.Append(Element(accessory, Str(block, "block_id")));
                    }

                    html.Append("</div>");
                    break;
                case "context":
                    html.Append("<div class=\"b-context\">");
                    if (block.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var element in elements.EnumerateArray().Where(e => Str(e, "type") is "mrkdwn" or "plain_text"))
                        {
                            html.Append("<span>").Append(TextObject(element)).Append("</span>");
                        }
                    }

                    html.Append("</div>");
                    break;
                case "divider":
                    html.Append("<hr class=\"b-divider\">");
                    break;
                case "actions":
                    html.Append("<div class=\"b-actions\">");
                    if (block.TryGetProperty("elements", out var buttons) && buttons.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var element in buttons.EnumerateArray())
                        {
                            html.Append(Element(element, Str(block, "block_id")));
                        }
                    }

                    html.Append("</div>");
                    break;
                case "rich_text" or null:
                    break;
                default:
                    html.Append("<div class=\"b-context\">").Append(Encode($"[{Str(block, "type")} block]")).Append("</div>");
                    break;
            }
        }

        return html.Length == 0 ? null : html.ToString();
    }

    /// <summary>
    /// A button the page can click (its action and block ids, and its confirm dialog's texts, as encoded attributes
    /// the script reads); any other element (selects, overflow) is only named: the sandbox does not draw it.
    /// </summary>
    private static string Element(JsonElement element, string? blockId)
    {
        if (Str(element, "type") != "button")
        {
            var name = TextOf(element, "placeholder") is { Length: > 0 } placeholder ? placeholder : Str(element, "type") ?? "element";
            return $"<span class=\"b-button\" title=\"Not drawn by the sandbox\">{Encode(name)} ▾</span>";
        }

        var html = new StringBuilder("<button type=\"button\" class=\"msg-button");
        if (Str(element, "style") is "primary" or "danger")
        {
            html.Append(' ').Append(Str(element, "style"));
        }

        html.Append("\" data-action-id=\"").Append(Encode(Str(element, "action_id") ?? "")).Append("\" data-block-id=\"").Append(Encode(blockId ?? "")).Append('"');
        if (element.TryGetProperty("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.Object)
        {
            foreach (var (attribute, name) in new[] { ("title", "title"), ("text", "text"), ("yes", "confirm"), ("no", "deny") })
            {
                html.Append(" data-confirm-").Append(attribute).Append("=\"").Append(Encode(TextOf(confirm, name))).Append('"');
            }
        }

        return html.Append('>').Append(Emoji.Replace(Encode(TextOf(element, "text")))).Append("</button>").ToString();
    }

    private string TextObject(JsonElement text) =>
        Str(text, "type") == "mrkdwn" ? Text(Str(text, "text")) : Encode(Str(text, "text") ?? "");

    private static string TextOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var text) ? Str(text, "text") ?? "" : "";

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string Token(string sigil, string id, string? label)
    {
        var named = string.IsNullOrEmpty(label) ? null : SlackText.Unescape(label);
        switch (sigil)
        {
            case "@":
                return $"<span class=\"mention\">@{Encode(userName(id) ?? named ?? id)}</span>";
            case "#":
                return $"<span class=\"mention\">#{Encode(channelName(id) ?? named ?? id)}</span>";
            case "!" when id.StartsWith("date^", StringComparison.Ordinal):
                return Encode(named ?? id);
            case "!":
                return $"<span class=\"mention\">@{Encode(named ?? id)}</span>";
            default:
                var url = SlackText.Unescape(id);
                var safe = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('/');
                var shown = Encode(named ?? (url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? url[7..] : url));
                return safe ? $"<a href=\"{Encode(url)}\" target=\"_blank\" rel=\"noopener noreferrer\">{shown}</a>" : shown;
        }
    }

    /// <summary>Text between tokens: encoded, then `code`, *bold*, _italic_, ~strike~ and line breaks.</summary>
    private static string Plain(string text)
    {
        if (text.Length == 0)
        {
            return "";
        }

        var encoded = Encode(SlackText.Unescape(text));
        var parts = CodePattern().Split(encoded);
        var html = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            // Split with a capture group: odd parts are the insides of `code`, left as they are.
            if (i % 2 == 1)
            {
                html.Append("<code>").Append(parts[i]).Append("</code>");
                continue;
            }

            var part = BoldPattern().Replace(parts[i], "$1<strong>$2</strong>");
            part = ItalicPattern().Replace(part, "$1<em>$2</em>");
            part = StrikePattern().Replace(part, "$1<s>$2</s>");
            html.Append(Emoji.Replace(part).Replace("\n", "<br>", StringComparison.Ordinal));
        }

        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"<(?<sigil>[@#!]?)(?<id>[^|>]+)(?:\|(?<label>[^>]*))?>")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"(^|[\s(>])\*([^*\n]+)\*(?=$|[\s.,;:!?)<])", RegexOptions.Multiline)]
    private static partial Regex BoldPattern();

    [GeneratedRegex(@"(^|[\s(>])_([^_\n]+)_(?=$|[\s.,;:!?)<])", RegexOptions.Multiline)]
    private static partial Regex ItalicPattern();

    [GeneratedRegex(@"(^|[\s(>])~([^~\n]+)~(?=$|[\s.,;:!?)<])", RegexOptions.Multiline)]
    private static partial Regex StrikePattern();
}
