using System.Text.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// An <c>input</c> block as Block Kit requires it (slack-protocol.md §9.2): a plain_text label of at most 2000
/// characters, an element of a type inputs accept, a hint of at most 2000, a placeholder of at most 150, text inputs'
/// initial_value and max_length within 3000, at most 100 select options and an initial_option that is one of them.
/// </summary>
internal static class InputBlockValidator
{
    private static readonly HashSet<string> ElementTypes = [.. ViewInputs.InputElementTypes];

    public static void Validate(JsonElement block, string pointer, List<string> errors)
    {
        if (!block.TryGetProperty("label", out var label) || label.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"missing required field: label [json-pointer:{pointer}]");
        }
        else if (!label.TryGetProperty("type", out var labelType) || labelType.GetString() != "plain_text")
        {
            errors.Add($"must be a valid enum value [json-pointer:{pointer}/label/type]");
        }

        BlockKitValidator.TextMaxLength(block, "label", 2000, pointer, errors);
        BlockKitValidator.TextMaxLength(block, "hint", 2000, pointer, errors);
        if (!block.TryGetProperty("element", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"missing required field: element [json-pointer:{pointer}]");
            return;
        }

        var elementPointer = $"{pointer}/element";
        var type = element.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString()! : "";
        if (!ElementTypes.Contains(type))
        {
            errors.Add($"must be a valid enum value [json-pointer:{elementPointer}/type]");
            return;
        }

        BlockKitValidator.TextMaxLength(element, "placeholder", 150, elementPointer, errors);
        if (type == "plain_text_input")
        {
            BlockKitValidator.MaxLength(element, "initial_value", 3000, $"{elementPointer}/initial_value", errors);
            AtMost(element, "max_length", 3000, elementPointer, errors);
            AtMost(element, "min_length", 3000, elementPointer, errors);
        }

        if (element.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            BlockKitValidator.MaxItemsOf(element, "options", 100, elementPointer, errors);
            if (element.TryGetProperty("initial_option", out var initial) && initial.ValueKind == JsonValueKind.Object
                && !options.EnumerateArray().Any(o => SameValue(o, initial)))
            {
                errors.Add($"must match one of the provided options [json-pointer:{elementPointer}/initial_option]");
            }
        }
    }

    private static bool SameValue(JsonElement option, JsonElement initial) =>
        option.ValueKind == JsonValueKind.Object && option.TryGetProperty("value", out var a) && initial.TryGetProperty("value", out var b)
        && a.ValueKind == JsonValueKind.String && a.GetString() == b.GetString();

    private static void AtMost(JsonElement element, string property, int max, string pointer, List<string> errors)
    {
        if (element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > max)
        {
            errors.Add($"must be less than or equal to {max} [json-pointer:{pointer}/{property}]");
        }
    }
}
