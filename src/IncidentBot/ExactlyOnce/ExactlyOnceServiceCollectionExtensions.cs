using Hangfire;
using IncidentBot.BackgroundJobs;

namespace IncidentBot.ExactlyOnce;

public static class ExactlyOnceServiceCollectionExtensions
{
    /// <summary>Exactly once: the ledger of inbound Slack events handled.</summary>
    public static IServiceCollection AddExactlyOnce(this IServiceCollection services)
    {
        services.AddScoped<EventLedger>();
        services.AddRecurringJob<PruneProcessedEventsJob>("prune-processed-events", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return services;
    }
}
