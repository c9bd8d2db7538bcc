using IncidentBot.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>Slack stops retrying an event within hours; ledger rows older than a day only take space.</summary>
public sealed class PruneProcessedEventsJob(IncidentBotDbContext db, TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    [AutomaticRetry(Attempts = 2)]
    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - KeepFor;
        return db.ProcessedEvents.Where(p => p.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
