using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>What a host's Hangfire knows (servers, queues, recent jobs) and how busy the thread pool is: for a test that waited in vain.</summary>
public static class JobsReport
{
    public static string Describe(IServiceProvider services)
    {
        var api = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var servers = api.Servers().Select(s => $"{s.Name} workers={s.WorkersCount} started={s.StartedAt:O} heartbeat={s.Heartbeat:O}");
        var stats = api.GetStatistics();
        var jobs = api.EnqueuedJobs("default", 0, 20).Select(j => $"enqueued {j.Key} {j.Value.Job?.Type.Name} at {j.Value.EnqueuedAt:O}")
            .Concat(api.ProcessingJobs(0, 20).Select(j => $"processing {j.Key} {j.Value.Job?.Type.Name} since {j.Value.StartedAt:O}"))
            .Concat(api.SucceededJobs(0, 20).Select(j => $"succeeded {j.Key} {j.Value.Job?.Type.Name} at {j.Value.SucceededAt:O}"))
            .Concat(api.FailedJobs(0, 20).Select(j => $"failed {j.Key} {j.Value.Job?.Type.Name} {j.Value.ExceptionMessage}"));
        ThreadPool.GetAvailableThreads(out var available, out _);
        return $"Now {DateTime.UtcNow:O}. Servers: {string.Join("; ", servers)}. Enqueued {stats.Enqueued}, processing {stats.Processing}, succeeded {stats.Succeeded}, failed {stats.Failed}.\n" +
            $"{string.Join("\n", jobs)}\nThread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} pending, {available} available.";
    }
}
