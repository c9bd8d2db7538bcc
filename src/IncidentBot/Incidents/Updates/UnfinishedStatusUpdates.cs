using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Updates;

/// <summary>A status update is unfinished until it was posted everywhere it goes.</summary>
internal sealed class UnfinishedStatusUpdates(IncidentBotDbContext db) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var untold = await db.StatusUpdates.AsNoTracking().Where(u => !u.Told).Select(u => new { u.Id, u.IncidentId }).ToListAsync(cancellationToken);
        return
        [
            .. untold.Select(u => UnfinishedItem.For<PostStatusUpdateJob>(
                $"incident/{u.IncidentId}/update/{u.Id}", job => job.RunAsync(u.Id, CancellationToken.None), $"posting a status update of INC-{u.IncidentId}")),
        ];
    }
}
