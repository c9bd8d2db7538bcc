using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;

namespace IncidentBot.BackgroundJobs.Failover;

/// <summary>
/// On every replica sharing the job storage: every <see cref="SharedJobStorage.RequeueEvery"/>, one replica at a time
/// (a <see cref="ReplicaLocks">replica lock</see>) queues again each job that a dead server was processing, as the dashboard's Requeue
/// does, so another replica runs it within seconds rather than after the job's invisibility timeout. The sweep leaves
/// such a job alone (it counts as in flight only on a live server), so this is what picks it up.
/// The pass's lock is an advisory lock, which ends with its holder's connection, not one of Hangfire's distributed
/// locks: those are rows, so a replica killed during its own pass (a few milliseconds in every three seconds) used to
/// leave the pass locked for <see cref="SharedJobStorage.DistributedLockTimeout"/>, and the job it was running with it.
/// </summary>
internal sealed partial class RequeueJobsOfDeadServers(JobStorage storage, ReplicaLocks locks, ILogger<RequeueJobsOfDeadServers> logger) : BackgroundService
{
    public const string LockName = "requeue-jobs-of-dead-servers";

    private const int MaxListed = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time: the heartbeats it judges are written on the database's clock, not on the bot's TimeProvider.
        using var timer = new PeriodicTimer(SharedJobStorage.RequeueEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RequeueOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be what is failing: the next pass tries again.
                Log.CouldNotRequeue(logger, exception);
            }
        }
    }

    /// <summary>One pass: the jobs queued again (none when another replica holds the pass).</summary>
    public async Task<int> RequeueOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await locks.TryHoldAsync(LockName, cancellationToken);
        if (held is null)
        {
            return 0; // Another replica is doing this pass.
        }

        var monitoring = storage.GetMonitoringApi();
        var live = SharedJobStorage.LiveServers(monitoring);
        var orphans = monitoring.ProcessingJobs(0, MaxListed)
            .Where(j => j.Value.InProcessingState && !live.Contains(j.Value.ServerId))
            .ToList();
        var client = new BackgroundJobClient(storage);
        var requeued = 0;
        foreach (var (jobId, job) in orphans)
        {
            // Only from Processing: a job that finished meanwhile is left as it is.
            if (client.ChangeState(jobId, new EnqueuedState(), ProcessingState.StateName))
            {
                requeued++;
                Log.Requeued(logger, jobId, job.Job is null ? "?" : JobSignature.Of(job.Job), job.ServerId);
            }
        }

        return requeued;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6020, Level = LogLevel.Warning, Message = "Job {JobId} ({Job}) was being processed by server {ServerId}, which is dead; queued again for a live replica")]
        public static partial void Requeued(ILogger logger, string jobId, string job, string serverId);

        [LoggerMessage(EventId = 6021, Level = LogLevel.Warning, Message = "Could not look for jobs held by dead servers; trying again shortly")]
        public static partial void CouldNotRequeue(ILogger logger, Exception exception);
    }
}
