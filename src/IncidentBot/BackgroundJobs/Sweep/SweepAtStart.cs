using Hangfire;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>
/// The sweep's first run is queued at start. In-memory job storage forgot its queue, so that run ignores the pauses
/// taken before it (<c>afterStart</c>). Shared job storage (PostgreSQL) did not forget: its queue survived, and another
/// replica may be in the middle of that very work, so the run keeps the pauses as any other does.
/// </summary>
internal sealed class SweepAtStart(IBackgroundJobClient jobs, IOptions<BackgroundJobsOptions> options, DatabaseLocation location) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var queueForgotten = !JobStorageKinds.IsShared(options.Value.Storage, location);
        jobs.Enqueue<SweepUnfinishedWorkJob>(job => job.RunAsync(queueForgotten, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
