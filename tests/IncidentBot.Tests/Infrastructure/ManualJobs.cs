using System.Collections.Concurrent;
using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// Stands in for Hangfire's client in tests: jobs are queued as the app enqueues them and run when the test says,
/// each in its own DI scope as Hangfire runs them, so a test controls exactly when slow work happens.
/// </summary>
public sealed class ManualJobs(IServiceProvider services) : IBackgroundJobClient, IncidentBot.BackgroundJobs.Sweep.IJobsInFlight
{
    private readonly ConcurrentQueue<Job> _queue = new();
    private int _nextId;

    public int Pending => _queue.Count;

    public IReadOnlyCollection<Job> Queued => [.. _queue];

    public string Create(Job job, IState state)
    {
        _queue.Enqueue(job);
        return Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => false;

    /// <summary>What the sweep sees as in flight: the jobs waiting here, as Hangfire's storage would list them.</summary>
    public IReadOnlySet<string> Read() => _queue.Select(IncidentBot.BackgroundJobs.Sweep.JobSignature.Of).ToHashSet();

    /// <summary>Runs queued jobs, and the jobs they queue, until none is left; returns how many ran.</summary>
    public async Task<int> RunAllAsync(int limit = 1000)
    {
        var ran = 0;
        while (_queue.TryDequeue(out var job))
        {
            if (++ran > limit)
            {
                throw new InvalidOperationException($"More than {limit} jobs: a job keeps queuing work.");
            }

            await PerformAsync(job);
        }

        return ran;
    }

    /// <summary>Runs the queued jobs of one type only, leaving the others queued in order.</summary>
    public async Task<int> RunOnlyAsync<TJob>()
    {
        var mine = new List<Job>();
        var others = new List<Job>();
        while (_queue.TryDequeue(out var job))
        {
            (job.Type == typeof(TJob) ? mine : others).Add(job);
        }

        others.ForEach(_queue.Enqueue);
        foreach (var job in mine)
        {
            await PerformAsync(job);
        }

        return mine.Count;
    }

    private async Task PerformAsync(Job job)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, job.Type);
        var result = job.Method.Invoke(instance, [.. job.Args]);
        if (result is Task task)
        {
            await task;
        }
    }

    /// <summary>Forgets the queue, as in-memory storage does when the process dies.</summary>
    public void Forget() => _queue.Clear();
}
