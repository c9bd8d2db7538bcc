using Hangfire;
using IncidentBot.Data;
using IncidentBot.People;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Events;

/// <summary>
/// A section emoji on a message of a live incident's channel puts the message in that section, at the message's
/// own time (from its ts). Two people, one emoji: one entry. A message the bot never kept (posted before the
/// incident) is recorded at once and its text fetched by a job: nothing Slack was answered 200 for waits on Slack.
/// </summary>
internal sealed class AddEntryWhenReacted(
    IncidentBotDbContext db,
    EventLedger ledger,
    SlackRequestContext context,
    IOptions<IncidentsOptions> options,
    IBackgroundJobClient jobs,
    PeopleDirectory people,
    TimeProvider time) : IEventHandler<ReactionAdded>
{
    public async Task HandleAsync(ReactionAdded reaction, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || reaction.Item is not { Type: "message", Channel: { } channel, Ts: { } rawTs }
            || !SlackTs.TryParse(rawTs, out var ts) || options.Value.SectionFor(reaction.Reaction) is not { } section)
        {
            return;
        }

        var incident = await db.Incidents.LiveInChannelAsync(channel, cancellationToken);
        if (incident is null || await ledger.AlreadyHandledAsync(nameof(AddEntryWhenReacted), cancellationToken))
        {
            return;
        }

        if (await db.EntryReactions.FindAsync([incident.Id, channel, rawTs, reaction.Reaction, reaction.User], cancellationToken) is null)
        {
            db.EntryReactions.Add(new EntryReaction { IncidentId = incident.Id, ChannelId = channel, MessageTs = rawTs, Reaction = reaction.Reaction, UserId = reaction.User });
        }

        var exists = await db.TimelineEntries.AnyAsync(
            e => e.IncidentId == incident.Id && e.Section == section && e.SourceChannelId == channel && e.SourceTs == rawTs,
            cancellationToken);
        TimelineEntry? added = null;
        if (!exists)
        {
            var message = await db.Messages.FindAsync([channel, rawTs], cancellationToken);
            added = new TimelineEntry
            {
                IncidentId = incident.Id,
                Kind = EntryKind.Message,
                Section = section,
                OccurredAt = ts.ToDateTimeOffset().UtcDateTime,
                RecordedAt = time.GetUtcNow().UtcDateTime,
                AuthorUserId = message?.UserId ?? reaction.ItemUser,
                Text = message?.Text ?? "",
                SourceChannelId = channel,
                SourceTs = rawTs,
                Pending = message is null,
            };
            db.TimelineEntries.Add(added);
        }

        await ledger.SaveOnceAsync(nameof(AddEntryWhenReacted), cancellationToken);
        if (added is { Id: > 0 })
        {
            if (added.Pending)
            {
                jobs.Enqueue<FetchReactedMessageJob>(job => job.RunAsync(added.Id, CancellationToken.None));
            }

            await people.EnsureKnownAsync(added.AuthorUserId, cancellationToken);
        }
    }
}
