using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// What a handler may need to know about the delivery in hand (scoped: one per request or envelope),
/// in place of SlackNet's static context.
/// </summary>
public sealed class SlackRequestContext
{
    public string? TeamId { get; internal set; }
    public string? EventId { get; internal set; }
    public DateTimeOffset? EventTime { get; internal set; }
    public SlackDelivery Delivery { get; internal set; } = SlackDelivery.First;

    /// <summary>True when the event is a post or reaction by this bot itself: not timeline material.</summary>
    public bool IsFromThisBot { get; internal set; }
}
