using Hangfire;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>The sweep's first run is queued at start: in-memory job storage forgot its queue, the database did not.</summary>
internal sealed class SweepAtStart(IBackgroundJobClient jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.Enqueue<SweepUnfinishedWorkJob>(job => job.RunAsync(true, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
