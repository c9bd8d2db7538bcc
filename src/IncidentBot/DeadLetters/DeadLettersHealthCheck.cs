using IncidentBot.Slack.Inbound;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.DeadLetters;

/// <summary>Degraded while dead letters wait for a replay: the bot serves, but some of Slack's events are not handled yet.</summary>
internal sealed class DeadLettersHealthCheck(IServiceScopeFactory scopes, DeadLetterCounter counter) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var waiting = await db.DeadLetters.CountAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["waiting"] = waiting, ["storedSinceStart"] = counter.Stored, ["replayedSinceStart"] = counter.Replayed };
        return waiting == 0
            ? HealthCheckResult.Healthy("No dead letters", data)
            : HealthCheckResult.Degraded($"{waiting} Slack events dead-lettered after their handling kept failing (log events 1506, 6107); the sweep replays them", data: data);
    }
}
