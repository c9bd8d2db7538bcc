using System.Text.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Inbound;

/// <summary>The three kinds of request Slack sends an app, whatever the transport.</summary>
internal enum InboundKind
{
    SlashCommand,
    Interaction,
    Event,
}

/// <summary>
/// One delivery from Slack, as raw as its transport received it: <see cref="SlackInbound"/> parses it, so that HTTP
/// and Socket Mode cannot come to read the same request differently.
/// </summary>
internal sealed record InboundDelivery
{
    public required InboundKind Kind { get; init; }

    public required InboundBody Body { get; init; }

    /// <summary>Where it came from, for logs only: the HTTP path, or the Socket Mode envelope.</summary>
    public required string Source { get; init; }

    /// <summary>Slack's attempt: <c>X-Slack-Retry-Num</c>/<c>-Reason</c> over HTTP, <c>retry_attempt</c>/<c>retry_reason</c> over Socket Mode.</summary>
    public SlackDelivery Attempt { get; init; } = SlackDelivery.First;

    /// <summary>
    /// Set by a transport on which Slack sends the same request again under this key when its ack was late or lost,
    /// possibly while the first is still being handled (Socket Mode: <c>envelope:{envelope_id}</c>, on any of the
    /// connections). Null over HTTP, where Slack retries only events, whose handlers de-duplicate by <c>event_id</c>.
    /// </summary>
    public string? RedeliveryKey { get; init; }
}

/// <summary>
/// A delivery's body in the form it arrived: form fields (HTTP commands; HTTP interactions, whose JSON is the
/// <c>payload</c> field) or JSON (HTTP events; every Socket Mode payload).
/// </summary>
internal abstract record InboundBody
{
    private InboundBody()
    {
    }

    /// <summary>An <c>application/x-www-form-urlencoded</c> body, exactly as signed.</summary>
    public static InboundBody Form(string urlEncoded) => new FormFields(urlEncoded);

    /// <summary>A JSON document not parsed yet.</summary>
    public static InboundBody Json(ReadOnlyMemory<byte> utf8) => new JsonText(utf8);

    /// <summary>A JSON value already parsed (Socket Mode reads the whole frame first).</summary>
    public static InboundBody Json(JsonElement element) => new JsonValue(element);

    internal sealed record FormFields(string UrlEncoded) : InboundBody;

    internal sealed record JsonText(ReadOnlyMemory<byte> Utf8) : InboundBody;

    internal sealed record JsonValue(JsonElement Element) : InboundBody;
}

internal enum InboundOutcome
{
    /// <summary>Handled (or nothing to do): acknowledge, with <see cref="InboundResult.Answer"/> when there is one.</summary>
    Acknowledge,

    /// <summary>Unreadable: delivering it again cannot help. HTTP answers 400; Socket Mode acknowledges it.</summary>
    Malformed,

    /// <summary>Its handling failed: do not acknowledge, so that Slack delivers it again (at least once beats lost).</summary>
    Retry,
}

/// <summary>What <see cref="SlackInbound"/> decided for a delivery; the transport only puts it in its own words.</summary>
internal sealed record InboundResult
{
    private InboundResult(InboundOutcome outcome, JsonElement? answer = null, string? challenge = null)
    {
        Outcome = outcome;
        Answer = answer;
        Challenge = challenge;
    }

    public static InboundResult Malformed { get; } = new(InboundOutcome.Malformed);

    public static InboundResult Retry { get; } = new(InboundOutcome.Retry);

    public InboundOutcome Outcome { get; }

    /// <summary>The immediate answer (a command's message, a view submission's <c>response_action</c>); null for none.</summary>
    public JsonElement? Answer { get; }

    /// <summary>The <c>url_verification</c> challenge to echo (only Slack's HTTP check of the events URL has one).</summary>
    public string? Challenge { get; }

    public static InboundResult Acknowledged(JsonElement? answer = null) => new(InboundOutcome.Acknowledge, answer);

    public static InboundResult Verified(string challenge) => new(InboundOutcome.Acknowledge, challenge: challenge);
}
