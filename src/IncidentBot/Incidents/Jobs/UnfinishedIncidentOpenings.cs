using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents.Card;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Jobs;

/// <summary>An incident is unfinished while its channel is not open, or one of the opening's writes was never made.</summary>
internal sealed class UnfinishedIncidentOpenings(IncidentBotDbContext db, Outbox outbox, IncidentCards cards) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var candidates = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Opening || (i.Status == IncidentStatus.Live && i.HasDedicatedChannel))
            .ToListAsync(cancellationToken);
        IEnumerable<string> Keys(Incident i) =>
            OpenIncidentChannelJob.Steps(i, cards.StakeholderChannel(i) is not null).Select(step => OpenIncidentChannelJob.StepKey(i.Id, step));
        var sent = await outbox.SentOfAsync([.. candidates.SelectMany(Keys)], cancellationToken);
        return
        [
            .. candidates
                .Where(i => i.Status == IncidentStatus.Opening || Keys(i).Any(key => !sent.Contains(key)))
                .Select(i => UnfinishedItem.For<OpenIncidentChannelJob>(
                    $"incident/{i.Id}/open", job => job.RunAsync(i.Id, CancellationToken.None), $"opening {i.Reference}", i.ChannelId)),
        ];
    }
}
