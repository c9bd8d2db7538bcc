using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Card;

/// <summary>A card is unfinished while it shows less than the incident's last change (its refresh was lost or failed).</summary>
internal sealed class UnfinishedCardRefreshes(IncidentBotDbContext db) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var stale = await db.Incidents.AsNoTracking()
            .Where(i => i.CardRenderedVersion < i.CardVersion)
            .Select(i => new { i.Id, i.ChannelId })
            .ToListAsync(cancellationToken);
        return
        [
            .. stale.Select(i => UnfinishedItem.For<RefreshIncidentCardJob>(
                $"incident/{i.Id}/card", job => job.RunAsync(i.Id, CancellationToken.None), $"refreshing the card of INC-{i.Id}", i.ChannelId)),
        ];
    }
}
