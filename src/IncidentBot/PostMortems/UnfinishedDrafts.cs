using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.PostMortems;

/// <summary>A closed incident whose draft is not published yet.</summary>
internal sealed class UnfinishedDrafts(IncidentBotDbContext db) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var unpublished = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Closed)
            .Where(i => !db.Set<PostMortem>().Any(p => p.IncidentId == i.Id && p.PublishedAt != null))
            .Select(i => new { i.Id, i.ChannelId })
            .ToListAsync(cancellationToken);
        return
        [
            .. unpublished.Select(i => UnfinishedItem.For<PublishPostMortemJob>(
                $"postmortem/{i.Id}/publish", job => job.RunAsync(i.Id, CancellationToken.None), "publishing the post-mortem draft", i.ChannelId)),
        ];
    }
}
