using System.Text.Json;
using IncidentBot.SlackFake.Json;

namespace IncidentBot.SlackFake.Driver;

/// <summary>One HTTP attempt to reach the bot.</summary>
/// <param name="RetryNum">0 for the first delivery, then the <c>X-Slack-Retry-Num</c> sent.</param>
/// <param name="StatusCode">Null when no response arrived (timeout, connection failure).</param>
/// <param name="FailureReason">Null on success; else Slack's retry reason: <c>http_timeout</c>, <c>http_error</c>, <c>connection_failed</c>, <c>too_many_redirects</c>.</param>
/// <param name="NoRetry">The bot answered <c>X-Slack-No-Retry: 1</c>.</param>
public sealed record DeliveryAttempt(
    int RetryNum,
    string? RetryReason,
    int? StatusCode,
    string? ContentType,
    string Body,
    TimeSpan Elapsed,
    string? FailureReason,
    bool NoRetry)
{
    public bool Succeeded => FailureReason is null;

    /// <summary>Over HTTP, the replica (bot base URL) the attempt went to.</summary>
    public Uri? Replica { get; init; }

    /// <summary>Over Socket Mode, the connection the envelope went out on (null when none was open).</summary>
    public int? ConnectionId { get; init; }
}

/// <summary>
/// A request sent to the bot with all its attempts; the last attempt is the outcome. Over Socket Mode an attempt is
/// one envelope: an ack counts as status 200, and the ack's payload stands in for the HTTP response body.
/// </summary>
public sealed record DeliveryResult(string Path, string RequestBody, IReadOnlyList<DeliveryAttempt> Attempts)
{
    public BotTransport Transport { get; init; } = BotTransport.Http;

    /// <summary>Over Socket Mode, the envelope_id every attempt carried.</summary>
    public string? EnvelopeId { get; init; }

    public DeliveryAttempt Final => Attempts[^1];

    public bool Succeeded => Final.Succeeded;

    public int? StatusCode => Final.StatusCode;

    public string Body => Final.Body;

    /// <summary>The bot's reply parsed as JSON, or null when it was empty or not JSON.</summary>
    public JsonElement? Json => SlackJson.TryParse(Body);
}

/// <summary>An event_callback delivery and the event_id it carried (the bot's de-duplication key).</summary>
public sealed record EventDeliveryResult(string EventId, DeliveryResult Delivery)
{
    public int? StatusCode => Delivery.StatusCode;
}

/// <summary>A slash command delivery, with the response_url and trigger_id handed to the bot.</summary>
public sealed record SlashCommandResult(DeliveryResult Delivery, string ResponseUrlId, Uri ResponseUrl, string TriggerId)
{
    public int? StatusCode => Delivery.StatusCode;

    public string Body => Delivery.Body;

    public JsonElement? Json => Delivery.Json;
}

/// <summary>
/// A human action done through the driver: what changed in the workspace and the events sent
/// (none when the bot is not in the channel or no bot URL is set, as Slack would not tell it).
/// </summary>
public sealed record HumanActionResult(string Ts, Workspace.FakeMessage? Message, IReadOnlyList<EventDeliveryResult> Deliveries)
{
    public string? EventId => Deliveries.Count > 0 ? Deliveries[0].EventId : null;

    public int? StatusCode => Deliveries.Count > 0 ? Deliveries[^1].StatusCode : null;
}

/// <summary>A url_verification delivery; <see cref="ChallengeAccepted"/> checks the three reply forms Slack accepts (§3.1).</summary>
public sealed record UrlVerificationResult(DeliveryResult Delivery, string Challenge)
{
    public int? StatusCode => Delivery.StatusCode;

    public bool ChallengeAccepted
    {
        get
        {
            if (Delivery.StatusCode != 200)
            {
                return false;
            }

            var body = Delivery.Body.Trim();
            if (body == Challenge || body == "challenge=" + Uri.EscapeDataString(Challenge))
            {
                return true;
            }

            return Delivery.Json is { ValueKind: JsonValueKind.Object } json
                && json.TryGetProperty("challenge", out var value)
                && value.ValueKind == JsonValueKind.String
                && value.GetString() == Challenge;
        }
    }
}
