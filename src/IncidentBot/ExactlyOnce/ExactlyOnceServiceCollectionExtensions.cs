using IncidentBot.Storage;
using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Slack.Inbound;
using IncidentBot.Telemetry;

namespace IncidentBot.ExactlyOnce;

public static class ExactlyOnceServiceCollectionExtensions
{
    /// <summary>Exactly once: the ledgers of inbound Slack events and commands handled, and the outbox every write to Slack goes through.</summary>
    public static IServiceCollection AddExactlyOnce(this IServiceCollection services)
    {
        services.AddScoped<EventLedger>();
        services.AddScoped<ISlackDeliveryLedger, DeliveryLedger>();
        services.AddScoped<Outbox>();
        services.AddObservedGauges<OutboxMetrics>();
        services.AddSingleton(provider => new OutboxClaimant(soleProcess: !provider.GetRequiredService<DatabaseLocation>().IsPostgreSql));
        services.AddSingleton<InstallationId>();
        services.AddHostedService<InstallationIdAtStart>();
        services.AddScoped<IStuckWorkNotice, StuckWorkNoticeInChannel>();
        services.AddRecurringJob<PruneProcessedEventsJob>("prune-processed-events", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return services;
    }
}
