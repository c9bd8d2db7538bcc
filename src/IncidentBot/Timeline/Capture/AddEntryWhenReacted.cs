using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// A section emoji on a message of a live incident's channel puts the message in that section, at the message's
/// own time (from its ts). Two people, one emoji: one entry. A message the bot never kept (posted before the
/// incident) is recorded at once and its text fetched by a job: nothing Slack was answered 200 for waits on Slack.
/// </summary>
internal sealed class AddEntryWhenReacted(
    IIncidentChannels incidents,
    EventLedger ledger,
    SlackRequestContext context,
    IOptions<TimelineOptions> options,
    TimelineWriter timeline) : IEventHandler<ReactionAdded>
{
    public async Task HandleAsync(ReactionAdded reaction, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || reaction.Item is not { Type: "message", Channel: { } channel, Ts: { } rawTs }
            || !SlackTs.TryParse(rawTs, out var ts) || options.Value.SectionFor(reaction.Reaction) is not { } section)
        {
            return;
        }

        var liveIncident = await incidents.LiveIncidentInAsync(channel, cancellationToken);
        if (liveIncident is not { } incidentId || await ledger.AlreadyHandledAsync(nameof(AddEntryWhenReacted), cancellationToken))
        {
            return;
        }

        await timeline.MarkAsync(incidentId, section, channel, rawTs, ts.ToDateTimeOffset().UtcDateTime, reaction.Reaction, reaction.User, reaction.ItemUser, cancellationToken);
        await ledger.SaveOnceAsync(nameof(AddEntryWhenReacted), cancellationToken);
        await timeline.AfterSaveAsync(cancellationToken);
    }
}
