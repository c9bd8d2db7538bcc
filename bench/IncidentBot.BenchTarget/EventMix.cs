using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace IncidentBot.BenchTarget;

/// <summary>
/// The events of ../shared/bench's loadgen (loadgen/Deliveries.cs), made one at a time for Socket Mode, where nothing
/// is signed: <c>event_callback</c>s of messages into the 8 bench channels, and a share of <c>reaction_added</c>
/// pushpins, each on the message sent 64 messages earlier, spread evenly; the same users, texts, and a ts one
/// microsecond apart per event, so that every event_id and ts is unique within a run.
/// </summary>
internal sealed class EventMix(double reactionShare, DateTimeOffset now)
{
    private const int PinLag = 64;
    private static readonly string[] Texts =
    [
        "api-7 is returning 502s to about 3% of checkout requests",
        "rolled back deploy 2024.11.3 on api-7, watching error rate",
        "error rate back under 0.1%, keeping the incident open for an hour",
        "root cause looks like the connection pool limit after the config change",
    ];

    private readonly Lock _gate = new();
    private readonly string _runTag = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    private readonly long _baseMicros = now.ToUnixTimeMilliseconds() * 1000;
    private readonly long _eventTime = now.ToUnixTimeSeconds();
    private readonly int[] _recentMessages = new int[PinLag];
    private int _next;
    private int _messages;

    /// <summary>The next event as UTF-8 JSON, and whether it is a reaction (which stores no message row).</summary>
    public (byte[] EventCallback, bool IsReaction) Next()
    {
        int i, pinned = -1;
        lock (_gate)
        {
            i = _next++;
            var reaction = _messages >= PinLag && Math.Floor((i + 1) * reactionShare) > Math.Floor(i * reactionShare);
            if (reaction)
            {
                // The ring holds the last 64 messages; the oldest of them is the one 64 back.
                pinned = _recentMessages[_messages % PinLag];
            }
            else
            {
                _recentMessages[_messages++ % PinLag] = i;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("token", "bench-verification-token");
            json.WriteString("team_id", "T0BENCH");
            json.WriteString("api_app_id", "A0BENCH");
            json.WritePropertyName("event");
            if (pinned >= 0)
            {
                WriteReaction(json, i, pinned);
            }
            else
            {
                WriteMessage(json, i);
            }

            json.WriteString("type", "event_callback");
            json.WriteString("event_id", $"Ev{_runTag}{i:X8}");
            json.WriteNumber("event_time", _eventTime);
            json.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), pinned >= 0);
    }

    private void WriteMessage(Utf8JsonWriter json, int i)
    {
        var ts = SlackTs(i);
        json.WriteStartObject();
        json.WriteString("type", "message");
        json.WriteString("channel", BenchWorkspace.ChannelIds[i % BenchWorkspace.Channels]);
        json.WriteString("user", User(i));
        json.WriteString("text", $"{Texts[i % Texts.Length]} (#{i})");
        json.WriteString("ts", ts);
        json.WriteString("event_ts", ts);
        json.WriteString("channel_type", "channel");
        json.WriteEndObject();
    }

    private void WriteReaction(Utf8JsonWriter json, int i, int message)
    {
        json.WriteStartObject();
        json.WriteString("type", "reaction_added");
        json.WriteString("user", User(i));
        json.WriteString("reaction", "pushpin");
        json.WritePropertyName("item");
        json.WriteStartObject();
        json.WriteString("type", "message");
        json.WriteString("channel", BenchWorkspace.ChannelIds[message % BenchWorkspace.Channels]);
        json.WriteString("ts", SlackTs(message));
        json.WriteEndObject();
        json.WriteString("item_user", User(message));
        json.WriteString("event_ts", SlackTs(i));
        json.WriteEndObject();
    }

    private static string User(int i) => $"U0BENCH{i % BenchWorkspace.People:D3}";

    private string SlackTs(int i)
    {
        var micros = _baseMicros + i;
        return $"{micros / 1_000_000}.{micros % 1_000_000:D6}";
    }
}
