using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Json;

/// <summary>Serializer settings for what the fake writes on the wire.</summary>
internal static class SlackJson
{
    /// <summary>Relaxed escaping keeps "&lt;@U123&gt;" readable in recordings; any JSON reader accepts either form.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static string Serialize(object value) =>
        value is string text ? text : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static JsonNode? ToNode(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>Parses a body that may or may not be JSON (bot replies): null when it is not.</summary>
    public static JsonElement? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
