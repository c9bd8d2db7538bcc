using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>Entries whose message text was never fetched, entries whose echo was never posted, and channel history not read back yet.</summary>
internal sealed class UnfinishedTimelineWork(IncidentBotDbContext db, IIncidentChannels incidents) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var entries = await db.TimelineEntries.AsNoTracking()
            .Where(e => e.Pending || e.EchoPending)
            .Select(e => new { e.Id, e.IncidentId, e.Pending, e.EchoPending })
            .ToListAsync(cancellationToken);
        var channels = new Dictionary<int, string?>();
        foreach (var incidentId in entries.Select(e => e.IncidentId).Distinct())
        {
            channels[incidentId] = await incidents.ChannelOfAsync(incidentId, cancellationToken);
        }

        var items = new List<UnfinishedItem>();
        foreach (var entry in entries)
        {
            var channel = channels[entry.IncidentId];
            if (entry.Pending)
            {
                items.Add(UnfinishedItem.For<FetchReactedMessageJob>(
                    $"timeline/{entry.Id}/fetch", job => job.RunAsync(entry.Id, CancellationToken.None), "reading a marked message from Slack", channel));
            }

            if (entry.EchoPending)
            {
                items.Add(UnfinishedItem.For<EchoTimelineEntryJob>(
                    $"timeline/{entry.Id}/echo", job => job.RunAsync(entry.Id, CancellationToken.None), "posting a timeline entry in this channel", channel));
            }
        }

        var backfills = await db.ChannelBackfills.AsNoTracking().Where(b => b.DoneAt == null).Select(b => new { b.Id, b.ChannelId }).ToListAsync(cancellationToken);
        items.AddRange(backfills.Select(b => UnfinishedItem.For<BackfillChannelJob>(
            $"timeline/backfill/{b.Id}", job => job.RunAsync(b.Id, CancellationToken.None), "reading back what was said here while the incident was closed", b.ChannelId)));
        return items;
    }
}
