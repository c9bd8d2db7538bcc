using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.BackgroundJobs.Sweep;

namespace IncidentBot.ExactlyOnce;

public static class ExactlyOnceServiceCollectionExtensions
{
    /// <summary>Exactly once: the ledger of inbound Slack events handled, and the outbox every write to Slack goes through.</summary>
    public static IServiceCollection AddExactlyOnce(this IServiceCollection services)
    {
        services.AddScoped<EventLedger>();
        services.AddScoped<Outbox>();
        services.AddSingleton<InstallationId>();
        services.AddHostedService<InstallationIdAtStart>();
        services.AddScoped<IStuckWorkNotice, StuckWorkNoticeInChannel>();
        services.AddRecurringJob<PruneProcessedEventsJob>("prune-processed-events", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return services;
    }
}
