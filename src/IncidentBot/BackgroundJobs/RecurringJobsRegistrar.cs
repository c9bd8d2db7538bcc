using Hangfire;
using IncidentBot.Data;
using IncidentBot.Incidents.Jobs;

namespace IncidentBot.BackgroundJobs;

/// <summary>The one place recurring jobs are declared (STYLE.md convention 7).</summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<PruneProcessedEventsJob>("prune-processed-events", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<NudgeQuietIncidentsJob>("nudge-quiet-incidents", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
