using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Where <see cref="SlackInbound"/> keeps an event whose handling failed on Slack's last-but-one attempt, so that it can
/// acknowledge it: Slack then stops retrying (and never disables the app's subscriptions for failing), and the event
/// waits to be replayed once its cause is fixed. Storing must be durable before it returns; when it throws, the
/// event is not acknowledged. The durable implementation lives outside <c>Slack/</c>; without one, nothing is
/// dead-lettered and a failing event is answered "deliver again" on every attempt.
/// </summary>
public interface IDeadLetterBox
{
    Task StoreAsync(DeadLetterDelivery letter, CancellationToken cancellationToken);
}

/// <summary>
/// A delivery given up on: its raw JSON <paramref name="Body"/> (without Slack's verification <c>token</c>), the event's
/// type and <c>event_id</c>, where it came from, Slack's attempt, and the last error's type and message.
/// </summary>
public sealed record DeadLetterDelivery(string Body, string Type, string EventId, string Source, int RetryNum, string Error)
{
    /// <summary>The JSON body as delivered, less its top-level <c>token</c>: a credential that has no place in a table.</summary>
    internal static string BodyOf(InboundBody body)
    {
        var json = body switch
        {
            InboundBody.JsonText text => JsonNode.Parse(text.Utf8.Span),
            InboundBody.JsonValue value => JsonNode.Parse(value.Element.GetRawText()),
            _ => throw new InvalidOperationException("Only events, which are JSON, are dead-lettered."),
        };
        if (json is JsonObject envelope)
        {
            envelope.Remove("token");
        }

        return json?.ToJsonString() ?? "null";
    }

    internal static string ErrorOf(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}

/// <summary>
/// How many deliveries were dead-lettered and replayed since start, for the health details and metrics (read
/// <see cref="Stored"/> and <see cref="Replayed"/>; nothing else needs to change to observe them).
/// </summary>
public sealed class DeadLetterCounter
{
    private long _stored;
    private long _replayed;

    public long Stored => Interlocked.Read(ref _stored);

    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Dead-lettered since start and not replayed since (deliveries stored before a restart are not in it).</summary>
    public long DeadLetterCount => Math.Max(0, Stored - Replayed);

    public void CountStored() => Interlocked.Increment(ref _stored);

    public void CountReplayed() => Interlocked.Increment(ref _replayed);
}
