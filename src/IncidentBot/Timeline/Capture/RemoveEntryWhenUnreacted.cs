using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// When the last reaction that put a message in a section is removed, the entry leaves that section (and, after the
/// commit, the bot's capture reaction leaves the message if no entry is left).
/// </summary>
internal sealed class RemoveEntryWhenUnreacted(
    IncidentBotDbContext db, IIncidentChannels incidents, EventLedger ledger, SlackRequestContext context, IOptions<TimelineOptions> options,
    CaptureAcknowledgements acknowledgements, TimeProvider time)
    : IEventHandler<ReactionRemoved>
{
    public async Task HandleAsync(ReactionRemoved reaction, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || reaction.Item is not { Type: "message", Channel: { } channel, Ts: { } ts }
            || options.Value.SectionFor(reaction.Reaction) is not { } section)
        {
            return;
        }

        var liveIncident = await incidents.LiveIncidentInAsync(channel, cancellationToken);
        if (liveIncident is not { } incidentId || await ledger.AlreadyHandledAsync(nameof(RemoveEntryWhenUnreacted), cancellationToken))
        {
            return;
        }

        var mine = await db.EntryReactions.FindAsync([incidentId, channel, ts, reaction.Reaction, reaction.User], cancellationToken);
        if (mine is null)
        {
            return;
        }

        db.EntryReactions.Remove(mine);
        var remaining = await db.EntryReactions
            .Where(r => r.IncidentId == incidentId && r.ChannelId == channel && r.MessageTs == ts)
            .Where(r => r.Reaction != reaction.Reaction || r.UserId != reaction.User)
            .Select(r => r.Reaction)
            .ToListAsync(cancellationToken);
        if (!remaining.Any(r => options.Value.SectionFor(r) == section))
        {
            var entry = await db.TimelineEntries.FirstOrDefaultAsync(
                e => e.IncidentId == incidentId && e.Section == section && e.SourceChannelId == channel && e.SourceTs == ts,
                cancellationToken);
            // An entry a reviewer changed stays: removing it from the draft is the review's Remove, not a reaction's.
            if (entry is { ReviewedAt: null })
            {
                db.TimelineEntries.Remove(entry);
                await ledger.SaveOnceAsync(nameof(RemoveEntryWhenUnreacted), cancellationToken);
                await acknowledgements.RequestAsync(db, channel, ts, time.GetUtcNow().UtcDateTime, cancellationToken);
                return;
            }
        }

        await ledger.SaveOnceAsync(nameof(RemoveEntryWhenUnreacted), cancellationToken);
    }
}
