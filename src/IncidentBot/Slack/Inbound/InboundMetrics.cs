using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentBot.Telemetry;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// What reached the inbound pipeline: every delivery (an event, a slash command, an interaction) as received, as a
/// duplicate acknowledged without being handled again, or as failed (not acknowledged, so Slack delivers it again).
/// Tagged by kind and Slack's type only: never a user, a channel or any text.
/// </summary>
internal sealed class InboundMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _failed;

    public InboundMetrics(IMeterFactory meters)
    {
        var meter = IncidentBotMeter.Create(meters);
        _received = meter.CreateCounter<long>("incidentbot.events.received", "{delivery}", "Deliveries from Slack (events, slash commands, interactions), redeliveries included");
        _duplicates = meter.CreateCounter<long>("incidentbot.events.duplicates", "{delivery}", "Deliveries already handled, acknowledged without handling them again");
        _failed = meter.CreateCounter<long>("incidentbot.events.failed", "{delivery}", "Deliveries whose handling failed; not acknowledged, so Slack delivers them again");
    }

    public void Received(ParsedDelivery parsed) => _received.Add(1, Tags(parsed));

    public void Duplicate(ParsedDelivery parsed) => _duplicates.Add(1, Tags(parsed));

    public void Failed(ParsedDelivery parsed) => _failed.Add(1, Tags(parsed));

    private static TagList Tags(ParsedDelivery parsed) => parsed switch
    {
        ParsedDelivery.Event e => new TagList { { "slack.delivery.kind", "event" }, { "slack.delivery.type", e.Value.Event.Type } },
        ParsedDelivery.Command c => new TagList { { "slack.delivery.kind", "command" }, { "slack.delivery.type", c.Value.Command } },
        ParsedDelivery.Interaction i => new TagList { { "slack.delivery.kind", "interaction" }, { "slack.delivery.type", i.Value.Type } },
        _ => new TagList { { "slack.delivery.kind", "other" }, { "slack.delivery.type", parsed.GetType().Name } },
    };
}
