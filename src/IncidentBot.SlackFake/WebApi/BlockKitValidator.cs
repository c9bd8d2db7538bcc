using System.Text.Json;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// The Block Kit limits a bot most often trips over (slack-protocol.md §9.2), reported as Slack
/// does: an error per violation with a json-pointer. Not a full schema validator.
/// </summary>
internal static class BlockKitValidator
{
    public const int MaxMessageBlocks = 50;
    public const int MaxViewBlocks = 100;

    /// <summary>Returns the violations; throws <c>invalid_blocks_format</c> when blocks is not an array of objects.</summary>
    public static IReadOnlyList<string> Validate(JsonElement blocks, int maxBlocks, string pointer = "/blocks")
    {
        if (blocks.ValueKind != JsonValueKind.Array)
        {
            throw new FakeSlackException("invalid_blocks_format");
        }

        var errors = new List<string>();
        if (blocks.GetArrayLength() > maxBlocks)
        {
            errors.Add($"no more than {maxBlocks} items allowed [json-pointer:{pointer}]");
        }

        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            ValidateBlock(block, $"{pointer}/{index++}", errors);
        }

        return errors;
    }

    private static void ValidateBlock(JsonElement block, string pointer, List<string> errors)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("invalid_blocks_format");
        }

        if (!block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            errors.Add($"missing required field: type [json-pointer:{pointer}]");
            return;
        }

        MaxLength(block, "block_id", 255, $"{pointer}/block_id", errors);
        ValidateActionIds(block, pointer, errors);
        switch (type.GetString())
        {
            case "section":
                if (!block.TryGetProperty("text", out _) && !block.TryGetProperty("fields", out _))
                {
                    errors.Add($"must provide either text or fields [json-pointer:{pointer}]");
                }

                TextMaxLength(block, "text", 3000, pointer, errors);
                if (block.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
                {
                    MaxItems(fields, 10, $"{pointer}/fields", errors);
                    var fieldIndex = 0;
                    foreach (var field in fields.EnumerateArray())
                    {
                        MaxLength(field, "text", 2000, $"{pointer}/fields/{fieldIndex++}/text", errors);
                    }
                }

                break;
            case "header":
                if (block.TryGetProperty("text", out var header) && header.ValueKind == JsonValueKind.Object
                    && header.TryGetProperty("text", out var headerText) && headerText.ValueKind == JsonValueKind.String
                    && headerText.GetString()!.Length > 150)
                {
                    errors.Add($"must be no longer than 150 characters [json-pointer:{pointer}/text/text]");
                }

                break;
            case "context":
                MaxItemsOf(block, "elements", 10, pointer, errors);
                break;
            case "actions":
                MaxItemsOf(block, "elements", 25, pointer, errors);
                break;
            case "markdown":
                MaxLength(block, "text", 12000, $"{pointer}/text", errors);
                break;
            case "input":
                InputBlockValidator.Validate(block, pointer, errors);
                break;
        }
    }

    /// <summary>An element within its limits (<see cref="ElementValidator"/>); its action_id at most 255 characters and unique among the elements of its block (Block Kit reference).</summary>
    private static void ValidateActionIds(JsonElement block, string pointer, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inInputBlock = block.TryGetProperty("type", out var type) && type.GetString() == "input";
        foreach (var (element, elementPointer) in Elements(block, pointer))
        {
            ElementValidator.Validate(element, elementPointer, inInputBlock, errors);
            MaxLength(element, "action_id", 255, $"{elementPointer}/action_id", errors);
            if (element.TryGetProperty("action_id", out var actionId) && actionId.ValueKind == JsonValueKind.String && !seen.Add(actionId.GetString()!))
            {
                errors.Add($"duplicate action_id {actionId.GetString()} in the block [json-pointer:{elementPointer}/action_id]");
            }
        }
    }

    /// <summary>The interactive elements of a block: <c>elements</c> (actions), <c>element</c> (input), <c>accessory</c> (section).</summary>
    private static IEnumerable<(JsonElement Element, string Pointer)> Elements(JsonElement block, string pointer)
    {
        if (block.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var element in elements.EnumerateArray())
            {
                yield return (element, $"{pointer}/elements/{index++}");
            }
        }

        foreach (var name in new[] { "element", "accessory" })
        {
            if (block.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Object)
            {
                yield return (element, $"{pointer}/{name}");
            }
        }
    }

    internal static void TextMaxLength(JsonElement block, string property, int max, string pointer, List<string> errors)
    {
        if (block.TryGetProperty(property, out var textObject) && textObject.ValueKind == JsonValueKind.Object)
        {
            MaxLength(textObject, "text", max, $"{pointer}/{property}/text", errors);
        }
    }

    internal static void MaxLength(JsonElement owner, string property, int max, string pointer, List<string> errors)
    {
        if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > max)
        {
            errors.Add($"must be less than {max + 1} characters [json-pointer:{pointer}]");
        }
    }

    internal static void MaxItemsOf(JsonElement block, string property, int max, string pointer, List<string> errors)
    {
        if (block.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            MaxItems(items, max, $"{pointer}/{property}", errors);
        }
    }

    private static void MaxItems(JsonElement items, int max, string pointer, List<string> errors)
    {
        if (items.GetArrayLength() > max)
        {
            errors.Add($"no more than {max} items allowed [json-pointer:{pointer}]");
        }
    }
}
