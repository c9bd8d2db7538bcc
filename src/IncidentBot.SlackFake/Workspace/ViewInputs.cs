using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// The <c>state.values</c> of a modal's input blocks as Slack keeps them: every input element is there from the
/// start with its initial value (an untouched plain_text_input is <c>"value": null</c>), a person's entry replaces it,
/// and an update keeps the entry when the new view has an input with the same block_id, action_id and type.
/// </summary>
internal static class ViewInputs
{
    /// <summary>Element type → (state field, initial-value field); list-valued fields start as [] rather than null.</summary>
    private static readonly Dictionary<string, (string State, string Initial)> Fields = new(StringComparer.Ordinal)
    {
        ["plain_text_input"] = ("value", "initial_value"),
        ["email_text_input"] = ("value", "initial_value"),
        ["url_text_input"] = ("value", "initial_value"),
        ["number_input"] = ("value", "initial_value"),
        ["static_select"] = ("selected_option", "initial_option"),
        ["external_select"] = ("selected_option", "initial_option"),
        ["radio_buttons"] = ("selected_option", "initial_option"),
        ["multi_static_select"] = ("selected_options", "initial_options"),
        ["multi_external_select"] = ("selected_options", "initial_options"),
        ["checkboxes"] = ("selected_options", "initial_options"),
        ["datepicker"] = ("selected_date", "initial_date"),
        ["timepicker"] = ("selected_time", "initial_time"),
        ["datetimepicker"] = ("selected_date_time", "initial_date_time"),
        ["users_select"] = ("selected_user", "initial_user"),
        ["multi_users_select"] = ("selected_users", "initial_users"),
        ["conversations_select"] = ("selected_conversation", "initial_conversation"),
        ["multi_conversations_select"] = ("selected_conversations", "initial_conversations"),
        ["channels_select"] = ("selected_channel", "initial_channel"),
        ["multi_channels_select"] = ("selected_channels", "initial_channels"),
    };

    /// <summary>The element types an input block accepts.</summary>
    public static IEnumerable<string> InputElementTypes => Fields.Keys;

    /// <summary>State for a new or updated view: entries of <paramref name="previous"/> survive where block, action and type still match.</summary>
    public static JsonObject Values(JsonObject definition, JsonObject? previous)
    {
        var values = new JsonObject();
        foreach (var (blockId, element) in Inputs(definition))
        {
            var actionId = (string)element["action_id"]!;
            var type = (string?)element["type"] ?? "";
            var kept = previous?[blockId]?[actionId] is JsonObject old && (string?)old["type"] == type ? old.DeepClone() : null;
            var entry = kept ?? Initial(element, type);
            if (values[blockId] is not JsonObject block)
            {
                values[blockId] = block = new JsonObject();
            }

            block[actionId] = entry;
        }

        return values;
    }

    /// <summary>The state entry after a person entered <paramref name="value"/> ("" clears it); throws when the element cannot take it.</summary>
    public static JsonObject Entry(JsonObject element, string value)
    {
        var type = (string?)element["type"] ?? "";
        if (value.Length == 0)
        {
            // Cleared: Slack sends an emptied input like an untouched one.
            return Initial(new JsonObject(), type);
        }

        var entry = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "plain_text_input" or "email_text_input" or "url_text_input" or "number_input":
                entry["value"] = value;
                break;
            case "static_select" or "radio_buttons":
                entry["selected_option"] = Options(element).FirstOrDefault(o => (string?)o["value"] == value)?.DeepClone()
                    ?? throw new FakeSlackException("invalid_option", [$"'{value}' is not one of the options of {element["action_id"]}"]);
                break;
            case "datepicker":
                entry["selected_date"] = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? value : throw new FakeSlackException("invalid_date", [$"'{value}' is not YYYY-MM-DD"]);
                break;
            case "timepicker":
                entry["selected_time"] = TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? value : throw new FakeSlackException("invalid_time", [$"'{value}' is not HH:mm"]);
                break;
            case "users_select":
                entry["selected_user"] = value;
                break;
            case "conversations_select":
                entry["selected_conversation"] = value;
                break;
            case "channels_select":
                entry["selected_channel"] = value;
                break;
            default:
                throw new FakeSlackException("unsupported_element", [$"the fake cannot type into a {type}"]);
        }

        return entry;
    }

    /// <summary>The element of the input block <paramref name="blockId"/> with <paramref name="actionId"/>, or null.</summary>
    public static JsonObject? Find(JsonObject definition, string blockId, string actionId) =>
        Inputs(definition).Where(i => i.BlockId == blockId && (string?)i.Element["action_id"] == actionId).Select(i => i.Element).FirstOrDefault();

    /// <summary>Block ids of the view's input blocks: the only keys Slack accepts in a <c>response_action: errors</c> map.</summary>
    public static IReadOnlySet<string> InputBlockIds(JsonObject definition) => Inputs(definition).Select(i => i.BlockId).ToHashSet(StringComparer.Ordinal);

    /// <summary>A select's options, including those inside option_groups.</summary>
    public static IEnumerable<JsonObject> Options(JsonObject element) =>
        (element["options"] as JsonArray ?? []).OfType<JsonObject>()
            .Concat((element["option_groups"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(g => (g["options"] as JsonArray ?? []).OfType<JsonObject>()));

    private static IEnumerable<(string BlockId, JsonObject Element)> Inputs(JsonObject definition) =>
        (definition["blocks"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(b => (string?)b["type"] == "input" && b["block_id"] is JsonValue && b["element"] is JsonObject { } e && e["action_id"] is JsonValue)
            .Select(b => ((string)b["block_id"]!, (JsonObject)b["element"]!));

    private static JsonObject Initial(JsonObject element, string type)
    {
        var entry = new JsonObject { ["type"] = type };
        if (Fields.TryGetValue(type, out var field))
        {
            entry[field.State] = element[field.Initial]?.DeepClone() ?? (field.State.EndsWith('s') ? new JsonArray() : null);
        }

        return entry;
    }
}
