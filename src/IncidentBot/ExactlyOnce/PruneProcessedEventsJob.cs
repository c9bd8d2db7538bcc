using IncidentBot.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>Slack stops redelivering within hours; ledger rows (events, commands) older than a day only take space.</summary>
public sealed class PruneProcessedEventsJob(IncidentBotDbContext db, TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    [AutomaticRetry(Attempts = 2)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - KeepFor;
        return await db.ProcessedEvents.Where(p => p.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken)
               + await db.HandledDeliveries.Where(d => d.HandledAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
