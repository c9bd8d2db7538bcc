using System.Net;
using System.Text.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// The modal a person sees, reduced to what the page draws: each block with its text already rendered to safe HTML
/// (mrkdwn through <see cref="MrkdwnHtml"/>, plain_text encoded), its buttons, and its input with the current value
/// and the error the bot asked to show. The page's script only sets text and values, never parses Block Kit.
/// </summary>
public sealed record PageModal(string Id, string Hash, string Title, string? Submit, string Close, int Depth, IReadOnlyList<PageModalBlock> Blocks)
{
    public static PageModal From(FakeView view, MrkdwnHtml html)
    {
        var json = view.View;
        var blocks = json.GetProperty("blocks").EnumerateArray().Select(b => Block(b, view, html)).ToList();
        return new PageModal(view.Id, view.Hash, PlainText(json, "title") ?? "", PlainText(json, "submit"), PlainText(json, "close") ?? "Cancel", view.StackDepth, blocks);
    }

    private static PageModalBlock Block(JsonElement block, FakeView view, MrkdwnHtml html)
    {
        var type = Str(block, "type") ?? "";
        var blockId = Str(block, "block_id") ?? "";
        var text = block.TryGetProperty("text", out var t) ? Html(t, html) : null;
        var fields = block.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(x => Html(x, html)).ToList() : [];
        List<PageButton> buttons = type switch
        {
            "actions" => [.. Elements(block, "elements").Where(IsButton).Select(Button)],
            "section" when block.TryGetProperty("accessory", out var accessory) && IsButton(accessory) => [Button(accessory)],
            _ => [],
        };
        if (type == "context")
        {
            text = string.Join(" · ", Elements(block, "elements").Where(e => Str(e, "type") is "mrkdwn" or "plain_text").Select(e => Html(e, html)));
        }

        var input = type == "input" && block.TryGetProperty("element", out var element) ? Input(block, element, blockId, view) : null;
        return new PageModalBlock(type, blockId, text, fields, buttons, input);
    }

    private static PageInput Input(JsonElement block, JsonElement element, string blockId, FakeView view)
    {
        var type = Str(element, "type") ?? "";
        var actionId = Str(element, "action_id") ?? "";
        var options = Elements(element, "options").Select(o => new PageOption(Str(o, "value") ?? "", PlainText(o, "text") ?? "")).ToList();
        return new PageInput(
            Label: PlainText(block, "label") ?? "",
            Hint: PlainText(block, "hint"),
            Optional: block.TryGetProperty("optional", out var optional) && optional.ValueKind == JsonValueKind.True,
            ElementType: type,
            ActionId: actionId,
            Multiline: element.TryGetProperty("multiline", out var multiline) && multiline.ValueKind == JsonValueKind.True,
            Placeholder: PlainText(element, "placeholder"),
            Options: options,
            Value: view.StateOf(blockId, actionId) is { } state ? Current(state) : null,
            Error: view.Errors.GetValueOrDefault(blockId));
    }

    /// <summary>The current value of a state entry, whatever its shape (value, selected_option, selected_date…).</summary>
    private static string? Current(JsonElement state)
    {
        foreach (var property in state.EnumerateObject())
        {
            if (property.Name == "type")
            {
                continue;
            }

            return property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Object => Str(property.Value, "value"),
                _ => null,
            };
        }

        return null;
    }

    private static bool IsButton(JsonElement element) => Str(element, "type") == "button";

    private static PageButton Button(JsonElement button) => new(Str(button, "action_id") ?? "", PlainText(button, "text") ?? "", Str(button, "style"));

    private static IEnumerable<JsonElement> Elements(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    /// <summary>A text object as safe HTML: mrkdwn rendered as messages are, plain_text encoded.</summary>
    private static string Html(JsonElement text, MrkdwnHtml html) =>
        Str(text, "type") == "mrkdwn" ? html.Text(Str(text, "text")) : WebUtility.HtmlEncode(Str(text, "text") ?? "");

    private static string? PlainText(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.Object ? Str(text, "text") : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One block of a modal; <see cref="Html"/> and <see cref="Fields"/> are already safe HTML.</summary>
public sealed record PageModalBlock(string Type, string BlockId, string? Html, IReadOnlyList<string> Fields, IReadOnlyList<PageButton> Buttons, PageInput? Input);

public sealed record PageButton(string ActionId, string Text, string? Style);

/// <summary>An input as the page draws it; <see cref="Value"/> is the state Slack keeps (what was typed or picked).</summary>
public sealed record PageInput(string Label, string? Hint, bool Optional, string ElementType, string ActionId, bool Multiline, string? Placeholder, IReadOnlyList<PageOption> Options, string? Value, string? Error);

public sealed record PageOption(string Value, string Text);
