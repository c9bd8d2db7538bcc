using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents.Commands;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// An incident's own channel is unfinished while the topic for its last close or reopen was never set (its job lost
/// in a restart, or out of retries). Only the last change counts: the job sets the topic the incident has now.
/// </summary>
internal sealed class UnfinishedIncidentTopics(IncidentBotDbContext db, Outbox outbox) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var entries = db.Set<TimelineEntry>();
        var changes = await db.Incidents.AsNoTracking()
            .Where(i => i.HasDedicatedChannel && i.ChannelId != null && (i.Status == IncidentStatus.Live || i.Status == IncidentStatus.Closed))
            .Select(i => new
            {
                i.Id,
                i.ChannelId,
                Change = entries
                    .Where(e => e.IncidentId == i.Id && e.Kind == EntryKind.Lifecycle && (e.Text == CloseIncidentCommand.Entry || e.Text == ReopenIncidentCommand.Entry))
                    .OrderByDescending(e => e.Id)
                    .Select(e => (long?)e.Id)
                    .FirstOrDefault(),
            })
            .Where(c => c.Change != null)
            .ToListAsync(cancellationToken);
        var sent = await outbox.SentOfAsync([.. changes.Select(c => SetIncidentTopicJob.OutboxKey(c.Id, c.Change!.Value))], cancellationToken);
        return
        [
            .. changes
                .Where(c => !sent.Contains(SetIncidentTopicJob.OutboxKey(c.Id, c.Change!.Value)))
                .Select(c => UnfinishedItem.For<SetIncidentTopicJob>(
                    SetIncidentTopicJob.OutboxKey(c.Id, c.Change!.Value), job => job.RunAsync(c.Id, c.Change!.Value, CancellationToken.None), $"the topic of INC-{c.Id}", c.ChannelId)),
        ];
    }
}
