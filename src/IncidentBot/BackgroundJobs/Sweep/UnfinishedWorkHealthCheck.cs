using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>Degraded while some unfinished work keeps failing: the bot still serves, but something is owed.</summary>
internal sealed class UnfinishedWorkHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var stuck = await db.SweepStates.CountAsync(s => s.Attempts >= SweepUnfinishedWorkJob.StuckAfterAttempts, cancellationToken);
        return stuck == 0
            ? HealthCheckResult.Healthy("No unfinished work keeps failing")
            : HealthCheckResult.Degraded($"{stuck} pieces of unfinished work keep failing (see the Warning log lines, event 6001)", data: new Dictionary<string, object> { ["stuck"] = stuck });
    }
}
