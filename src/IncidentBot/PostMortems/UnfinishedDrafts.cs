using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.PostMortems;

/// <summary>
/// A closed incident whose draft is owed: none compiled yet, a version not (fully) published, or a close after the
/// latest version was compiled (a reopened incident closed again, whose queued publication a restart forgot).
/// </summary>
internal sealed class UnfinishedDrafts(IncidentBotDbContext db) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var postMortems = db.Set<PostMortem>();
        var owed = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Closed)
            .Where(i => postMortems.Any(p => p.IncidentId == i.Id && p.PublishedAt == null)
                        || !postMortems.Any(p => p.IncidentId == i.Id && (i.ClosedAt == null || p.CompiledAt >= i.ClosedAt)))
            .Select(i => new { i.Id, i.ChannelId })
            .ToListAsync(cancellationToken);
        return
        [
            .. owed.Select(i => UnfinishedItem.For<PublishPostMortemJob>(
                $"postmortem/{i.Id}/publish", job => job.RunAsync(i.Id, CancellationToken.None), "publishing the post-mortem draft", i.ChannelId)),
        ];
    }
}
