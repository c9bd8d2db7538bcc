using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Jobs;

/// <summary>An incident is unfinished while its channel is not open, or one of the opening's writes was never made.</summary>
internal sealed class UnfinishedIncidentOpenings(IncidentBotDbContext db, Outbox outbox) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var candidates = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Opening || (i.Status == IncidentStatus.Live && i.HasDedicatedChannel))
            .ToListAsync(cancellationToken);
        var sent = await outbox.SentOfAsync(
            [.. candidates.SelectMany(i => OpenIncidentChannelJob.Steps(i).Select(step => OpenIncidentChannelJob.OutboxKey(i.Id, step)))],
            cancellationToken);
        return
        [
            .. candidates
                .Where(i => i.Status == IncidentStatus.Opening || OpenIncidentChannelJob.Steps(i).Any(step => !sent.Contains(OpenIncidentChannelJob.OutboxKey(i.Id, step))))
                .Select(i => UnfinishedItem.For<OpenIncidentChannelJob>(
                    $"incident/{i.Id}/open", job => job.RunAsync(i.Id, CancellationToken.None), $"opening {i.Reference}", i.ChannelId)),
        ];
    }
}
