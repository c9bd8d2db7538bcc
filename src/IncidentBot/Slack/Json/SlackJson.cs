using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Json;

/// <summary>The one set of serializer options for everything that crosses the wire to or from Slack.</summary>
public static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Slack sends numbers where we expect strings in a few places (event_ts without a dot).
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new SlackEventConverter());
        options.Converters.Add(new InteractionPayloadConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
