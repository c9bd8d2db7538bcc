using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Slack.Json;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// A frame Slack sends over a Socket Mode connection (slack-protocol.md §5.2): <c>hello</c>, <c>disconnect</c>, or an
/// envelope carrying an Events API callback, a slash command or an interaction. Read once, by <see cref="Parse"/>.
/// </summary>
internal abstract record SocketModeMessage
{
    public const string EventsApi = "events_api";
    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";

    /// <summary>The frame as a typed message; <see cref="JsonException"/> when it is not a JSON object with a type.</summary>
    public static SocketModeMessage Parse(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A Socket Mode frame must be a JSON object.");
        }

        var type = Json.SlackEventConverter.StringOrNull(root, "type");
        return type switch
        {
            "hello" => root.Deserialize<SocketModeHello>(SlackJson.Options) ?? throw new JsonException("Empty hello."),
            "disconnect" => root.Deserialize<SocketModeDisconnect>(SlackJson.Options) ?? throw new JsonException("Empty disconnect."),
            _ when Json.SlackEventConverter.StringOrNull(root, "envelope_id") is { Length: > 0 } =>
                root.Deserialize<SocketModeEnvelope>(SlackJson.Options) ?? throw new JsonException("Empty envelope."),
            _ => new SocketModeUnknown(type ?? ""),
        };
    }
}

internal sealed record SocketModeHello : SocketModeMessage
{
    public int NumConnections { get; init; }
    public HelloDebugInfo? DebugInfo { get; init; }

    public sealed record HelloDebugInfo
    {
        public string? Host { get; init; }

        /// <summary>Seconds until Slack expects to recycle this connection.</summary>
        public int? ApproximateConnectionTime { get; init; }
    }
}

internal sealed record SocketModeDisconnect : SocketModeMessage
{
    /// <summary>Slack turned Socket Mode off for the app: reconnecting cannot help.</summary>
    public const string LinkDisabled = "link_disabled";

    /// <summary>Not in Slack's docs, seen in SlackNet: treated like <see cref="LinkDisabled"/>.</summary>
    public const string SocketModeDisabled = "socket_mode_disabled";

    public const string TooManyWebsockets = "too_many_websockets";

    public string Reason { get; init; } = "";

    [JsonIgnore]
    public bool IsFinal => Reason is LinkDisabled or SocketModeDisabled;
}

/// <summary>An envelope; <see cref="Payload"/> is the HTTP body's JSON (already decoded for interactions).</summary>
internal sealed record SocketModeEnvelope : SocketModeMessage
{
    public required string EnvelopeId { get; init; }
    public string Type { get; init; } = "";
    public bool AcceptsResponsePayload { get; init; }
    public int RetryAttempt { get; init; }
    public string? RetryReason { get; init; }
    public JsonElement Payload { get; init; }
}

internal sealed record SocketModeUnknown(string Type) : SocketModeMessage;

/// <summary>What we send back for an envelope: its id, and the immediate answer when Slack accepts one (§5.3).</summary>
internal sealed record SocketModeAck(string EnvelopeId, JsonElement? Payload)
{
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, SlackJson.Options);
}
