using System.Text;
using System.Text.Json;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// A modal as Slack accepts it from views.open, views.update, views.push or a <c>response_action</c>, or a Home tab
/// from views.publish: at most 250 kB (<c>view_too_large</c>), else <c>invalid_arguments</c> with a json-pointer
/// message per problem. A Home tab has no title, submit or close: it is a surface, not a dialog.
/// </summary>
internal static class ViewValidator
{
    public const int MaxViewBytes = 250 * 1024;

    public const string Modal = "modal";

    public const string Home = "home";

    /// <summary>Throws Slack's error for <paramref name="viewText"/>; returns the parsed view when Slack would take it as a <paramref name="type"/> view.</summary>
    public static JsonElement Validate(string viewText, string type = Modal)
    {
        if (Encoding.UTF8.GetByteCount(viewText) > MaxViewBytes)
        {
            throw new FakeSlackException("view_too_large");
        }

        JsonElement view;
        try
        {
            using var document = JsonDocument.Parse(viewText);
            view = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FakeSlackException("invalid_arguments");
        }

        if (view.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("invalid_arguments");
        }

        var errors = Problems(view, type);
        if (errors.Count > 0)
        {
            throw new FakeSlackException("invalid_arguments", errors);
        }

        return view;
    }

    private static List<string> Problems(JsonElement view, string expectedType)
    {
        var errors = new List<string>();
        if (!view.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != expectedType)
        {
            errors.Add("must be a valid enum value [json-pointer:/view/type]");
        }

        if (expectedType == Modal)
        {
            DialogTexts(view, errors);
        }

        BlockKitValidator.MaxLength(view, "private_metadata", 3000, "/view/private_metadata", errors);
        BlockKitValidator.MaxLength(view, "callback_id", 255, "/view/callback_id", errors);
        BlockKitValidator.MaxLength(view, "external_id", 255, "/view/external_id", errors);
        if (!view.TryGetProperty("blocks", out var blocks))
        {
            errors.Add("missing required field: blocks [json-pointer:/view]");
            return errors;
        }

        try
        {
            errors.AddRange(BlockKitValidator.Validate(blocks, BlockKitValidator.MaxViewBlocks, "/view/blocks"));
        }
        catch (FakeSlackException)
        {
            errors.Add("must be an array of blocks [json-pointer:/view/blocks]");
            return errors;
        }

        DuplicateBlockIds(blocks, errors);
        if (expectedType == Modal && !view.TryGetProperty("submit", out _) && blocks.EnumerateArray().Any(b => b.TryGetProperty("type", out var t) && t.GetString() == "input"))
        {
            // Slack refuses a modal with inputs it could never submit.
            errors.Add("must provide submit when the view contains input blocks [json-pointer:/view/submit]");
        }

        return errors;
    }

    /// <summary>A modal's title (required), submit and close: plain_text of at most 24 characters.</summary>
    private static void DialogTexts(JsonElement view, List<string> errors)
    {
        foreach (var property in new[] { "title", "submit", "close" })
        {
            if (view.TryGetProperty(property, out var text) && text.ValueKind == JsonValueKind.Object)
            {
                BlockKitValidator.MaxLength(text, "text", 24, $"/view/{property}/text", errors);
                if (!text.TryGetProperty("type", out var textType) || textType.GetString() != "plain_text")
                {
                    errors.Add($"must be a valid enum value [json-pointer:/view/{property}/type]");
                }
            }
        }

        if (!view.TryGetProperty("title", out _))
        {
            errors.Add("missing required field: title [json-pointer:/view]");
        }
    }

    /// <summary>Every block_id given must be unique within the view.</summary>
    private static void DuplicateBlockIds(JsonElement blocks, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.TryGetProperty("block_id", out var id) && id.ValueKind == JsonValueKind.String && !seen.Add(id.GetString()!))
            {
                errors.Add($"duplicate block_id {id.GetString()} [json-pointer:/view/blocks/{index}/block_id]");
            }

            index++;
        }
    }
}
