using System.Text.Json;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// The interactive elements a bot puts in messages, Home tabs and modal sections (buttons, static_select,
/// users_select, overflow), within the Block Kit reference's limits, and any element's <c>confirm</c> dialog: title,
/// confirm and deny plain_text, all four texts required, title ≤100, text ≤300, confirm and deny ≤30 characters.
/// Input blocks' elements are <see cref="InputBlockValidator"/>'s; their confirm objects are checked here too.
/// </summary>
internal static class ElementValidator
{
    public static void Validate(JsonElement element, string pointer, bool inInputBlock, List<string> errors)
    {
        if (element.TryGetProperty("confirm", out var confirm))
        {
            Confirm(confirm, $"{pointer}/confirm", errors);
        }

        if (inInputBlock)
        {
            return;
        }

        switch (element.TryGetProperty("type", out var type) ? type.GetString() : null)
        {
            case "button":
                PlainText(element, "text", 75, pointer, required: true, errors);
                BlockKitValidator.MaxLength(element, "value", 2000, $"{pointer}/value", errors);
                BlockKitValidator.MaxLength(element, "url", 3000, $"{pointer}/url", errors);
                if (element.TryGetProperty("style", out var style) && style.GetString() is not ("primary" or "danger"))
                {
                    errors.Add($"must be a valid enum value [json-pointer:{pointer}/style]");
                }

                break;
            case "static_select":
                PlainText(element, "placeholder", 150, pointer, required: false, errors);
                Options(element, 100, pointer, errors);
                break;
            case "users_select":
                PlainText(element, "placeholder", 150, pointer, required: false, errors);
                break;
            case "overflow":
                if (!element.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array || options.GetArrayLength() == 0)
                {
                    errors.Add($"missing required field: options [json-pointer:{pointer}]");
                }

                Options(element, 5, pointer, errors);
                break;
        }
    }

    /// <summary>A confirmation dialog object (Block Kit "Confirmation dialog object").</summary>
    private static void Confirm(JsonElement confirm, string pointer, List<string> errors)
    {
        if (confirm.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"must be an object [json-pointer:{pointer}]");
            return;
        }

        PlainText(confirm, "title", 100, pointer, required: true, errors);
        PlainText(confirm, "confirm", 30, pointer, required: true, errors);
        PlainText(confirm, "deny", 30, pointer, required: true, errors);
        if (!confirm.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"missing required field: text [json-pointer:{pointer}]");
        }
        else
        {
            BlockKitValidator.MaxLength(text, "text", 300, $"{pointer}/text/text", errors);
        }

        if (confirm.TryGetProperty("style", out var style) && style.GetString() is not ("primary" or "danger"))
        {
            errors.Add($"must be a valid enum value [json-pointer:{pointer}/style]");
        }
    }

    /// <summary>An option's text (≤75) and value (≤150), and no more than <paramref name="max"/> options.</summary>
    private static void Options(JsonElement element, int max, string pointer, List<string> errors)
    {
        if (!element.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        BlockKitValidator.MaxItemsOf(element, "options", max, pointer, errors);
        var index = 0;
        foreach (var option in options.EnumerateArray())
        {
            var optionPointer = $"{pointer}/options/{index++}";
            BlockKitValidator.TextMaxLength(option, "text", 75, optionPointer, errors);
            BlockKitValidator.MaxLength(option, "value", 150, $"{optionPointer}/value", errors);
        }
    }

    /// <summary>A plain_text object at <paramref name="property"/> of at most <paramref name="max"/> characters.</summary>
    private static void PlainText(JsonElement owner, string property, int max, string pointer, bool required, List<string> errors)
    {
        if (!owner.TryGetProperty(property, out var text) || text.ValueKind != JsonValueKind.Object)
        {
            if (required)
            {
                errors.Add($"missing required field: {property} [json-pointer:{pointer}]");
            }

            return;
        }

        if (!text.TryGetProperty("type", out var type) || type.GetString() != "plain_text")
        {
            errors.Add($"must be a valid enum value [json-pointer:{pointer}/{property}/type]");
        }

        BlockKitValidator.MaxLength(text, "text", max, $"{pointer}/{property}/text", errors);
    }
}
