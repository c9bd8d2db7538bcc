using Hangfire;
using IncidentBot.Incidents;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Storage;
using IncidentBot.People;
using IncidentBot.PostMortems;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot;

/// <summary>
/// In-memory job storage forgets its queue on restart; the database does not. At start, every piece of work the
/// database shows unfinished is queued again. Each job re-reads its state, so queuing twice is harmless.
/// </summary>
internal sealed partial class UnfinishedWorkRecovery(IServiceScopeFactory scopes, IBackgroundJobClient jobs, ILogger<UnfinishedWorkRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();

        var opening = await db.Incidents
            .Where(i => i.Status == IncidentStatus.Opening
                        || (i.Status == IncidentStatus.Live && i.HasDedicatedChannel && (i.AnnouncementTs == null || (!i.LinkPosted && i.ResponseUrl != null))))
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in opening)
        {
            jobs.Enqueue<OpenIncidentChannelJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        var pending = await db.TimelineEntries.Where(e => e.Pending).Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            jobs.Enqueue<FetchReactedMessageJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        var echoes = await db.TimelineEntries.Where(e => e.EchoPending).Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var id in echoes)
        {
            jobs.Enqueue<EchoTimelineEntryJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        var unpublished = await db.Incidents
            .Where(i => i.Status == IncidentStatus.Closed)
            .Where(i => !db.Set<PostMortem>().Any(p => p.IncidentId == i.Id && p.PublishedAt != null))
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in unpublished)
        {
            jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        // A name lookup queued before the restart is gone too; the record keeps the id, the draft wants the name.
        var unnamed = await db.TimelineEntries.Select(e => e.AuthorUserId)
            .Union(db.Incidents.Select(i => i.LeaderUserId))
            .Where(id => id != null && !db.Set<Person>().Any(p => p.UserId == id))
            .ToListAsync(cancellationToken);
        foreach (var userId in unnamed.OfType<string>())
        {
            jobs.Enqueue<ResolvePersonJob>(job => job.RunAsync(userId, CancellationToken.None));
        }

        if (opening.Count + pending.Count + echoes.Count + unpublished.Count > 0)
        {
            Log.Requeued(logger, opening.Count, pending.Count, echoes.Count, unpublished.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Resumed unfinished work: {Incidents} incident openings, {Fetches} message fetches, {Echoes} echoes, {Drafts} post-mortem drafts")]
        public static partial void Requeued(ILogger logger, int incidents, int fetches, int echoes, int drafts);
    }
}
