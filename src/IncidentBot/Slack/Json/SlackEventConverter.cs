using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Json;

/// <summary>Reads an inner event into the class <see cref="SlackEventTypes"/> names for its type and subtype.</summary>
internal sealed class SlackEventConverter : JsonConverter<SlackEvent>
{
    public override SlackEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An event must be a JSON object.");
        }

        var target = SlackEventTypes.Resolve(StringOrNull(root, "type"), StringOrNull(root, "subtype"));
        return (SlackEvent?)root.Deserialize(target, options);
    }

    public override void Write(Utf8JsonWriter writer, SlackEvent value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);

    internal static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
}

/// <summary>Reads an interactivity payload into the class <see cref="SlackEventTypes.Interactions"/> names.</summary>
internal sealed class InteractionPayloadConverter : JsonConverter<InteractionPayload>
{
    public override InteractionPayload? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An interaction payload must be a JSON object.");
        }

        var type = SlackEventConverter.StringOrNull(root, "type");
        var target = type is not null && SlackEventTypes.Interactions.TryGetValue(type, out var known) ? known : typeof(UnknownInteraction);
        return (InteractionPayload?)root.Deserialize(target, options);
    }

    public override void Write(Utf8JsonWriter writer, InteractionPayload value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
