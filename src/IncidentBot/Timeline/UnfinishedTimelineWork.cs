using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>
/// Entries whose message text was never fetched, entries whose echo was never posted, channel history not read back
/// yet, and capture reactions asked for a while ago and still not set.
/// </summary>
internal sealed class UnfinishedTimelineWork(IncidentBotDbContext db, IIncidentChannels incidents, TimeProvider time) : IUnfinishedWork
{
    private static readonly TimeSpan AcknowledgementLeftAfter = TimeSpan.FromMinutes(1);

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
        // A drain is queued with every ask; only an ask it left behind (a restart, Slack down) is the sweep's to drain.
        var stale = time.GetUtcNow().UtcDateTime - AcknowledgementLeftAfter;
        if (await db.CaptureAcknowledgements.AnyAsync(a => a.RequestedAt < stale, cancellationToken))
        {
            items.Add(UnfinishedItem.For<AcknowledgeCaptureJob>(
                "timeline/acknowledge-captures", job => job.RunAsync(CancellationToken.None), "showing on Slack messages whether they are on the record"));
        }

        return items;
    }
}
