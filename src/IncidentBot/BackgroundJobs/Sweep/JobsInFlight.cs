using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage.Monitoring;
using IncidentBot.BackgroundJobs.Failover;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>The jobs that will still run by themselves, by what they do (<see cref="JobSignature"/>).</summary>
public interface IJobsInFlight
{
    IReadOnlySet<string> Read();
}

/// <summary>A job's class, method and arguments: two jobs with one signature do the same work.</summary>
public static class JobSignature
{
    // A cancellation token is no part of what a job does.
    public static string Of(Job job) =>
        $"{job.Type.FullName}.{job.Method.Name}({string.Join(",", job.Args.Where(a => a is not CancellationToken).Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)))})";
}

/// <summary>
/// What Hangfire's storage will still run: queued, scheduled (waiting for an automatic retry included), or running on
/// a live server. A job that used up its retries is not in flight, nor anything the storage forgot in a restart, nor a
/// job whose server died with it in hand (replicas sharing the storage): that is what the sweep queues again.
/// </summary>
internal sealed class HangfireJobsInFlight(JobStorage storage) : IJobsInFlight
{
    private const int MaxListed = 10_000;

    public IReadOnlySet<string> Read()
    {
        var monitoring = storage.GetMonitoringApi();
        var live = SharedJobStorage.LiveServers(monitoring);
        // A queue can still list a job whose state moved on (it failed, or was deleted): only its state counts.
        var jobs = monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, MaxListed).Where(j => IsEnqueued(j.Value)).Select(j => j.Value.Job))
            .Concat(monitoring.ProcessingJobs(0, MaxListed).Where(j => j.Value.InProcessingState && live.Contains(j.Value.ServerId)).Select(j => j.Value.Job))
            .Concat(monitoring.ScheduledJobs(0, MaxListed).Where(j => j.Value.InScheduledState).Select(j => j.Value.Job));
        return jobs.OfType<Job>().Select(JobSignature.Of).ToHashSet();
    }

    // Hangfire.PostgreSql leaves InEnqueuedState at its default (true) and names the state instead.
    private static bool IsEnqueued(EnqueuedJobDto job) =>
        job.InEnqueuedState && (job.State is null || job.State == EnqueuedState.StateName);
}
