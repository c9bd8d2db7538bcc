using Hangfire;
using Hangfire.States;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>
/// Every minute, and once after start (<c>afterStart</c>): asks each capability what is unfinished, and queues again what Hangfire will not
/// run by itself any more (the queue was forgotten in a restart, or the job used up its retries). What keeps failing
/// is retried with a growing pause, never dropped, and made visible: a Warning each time, a count on the health
/// report, and one message in the incident channel.
/// </summary>
public sealed partial class SweepUnfinishedWorkJob(
    IEnumerable<IUnfinishedWork> sources,
    IncidentBotDbContext db,
    IBackgroundJobClient jobs,
    IJobsInFlight jobsInFlight,
    IStuckWorkNotice notice,
    TimeProvider time,
    ILogger<SweepUnfinishedWorkJob> logger)
{
    /// <summary>Queued this often by the sweep and still unfinished: it keeps failing.</summary>
    public const int StuckAfterAttempts = 3;

    private static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    [AutomaticRetry(Attempts = 0)] // It runs again in a minute.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RunAsync(bool afterStart, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var unfinished = new List<UnfinishedItem>();
        foreach (var source in sources)
        {
            unfinished.AddRange(await source.FindAsync(cancellationToken));
        }

        // Read after the sources: work committed and queued meanwhile is then seen in flight, not queued twice.
        var inFlight = jobsInFlight.Read();

        var states = await db.SweepStates.ToDictionaryAsync(s => s.Key, cancellationToken);
        var queued = 0;
        foreach (var item in unfinished.Where(item => !inFlight.Contains(JobSignature.Of(item.Job))))
        {
            // After a start on in-memory job storage nothing waits for a pause taken before it: the queue is gone.
            var state = states.GetValueOrDefault(item.Key);
            if (state is not null && now < state.NextAt && !afterStart)
            {
                continue;
            }

            jobs.Create(item.Job, new EnqueuedState());
            queued++;
            if (state is null)
            {
                state = new SweepState { Key = item.Key, FirstQueuedAt = now };
                db.SweepStates.Add(state);
                states[item.Key] = state;
            }

            state.Attempts++;
            state.NextAt = now + Pause(state.Attempts);
            if (state.Attempts >= StuckAfterAttempts)
            {
                await ReportStuckAsync(item, state, cancellationToken);
            }
        }

        // Finished work leaves no trace here.
        var finished = states.Keys.Except(unfinished.Select(i => i.Key)).ToList();
        db.SweepStates.RemoveRange(finished.Select(key => states[key]));
        await db.SaveChangesAsync(cancellationToken);
        if (queued > 0)
        {
            Log.Queued(logger, queued, unfinished.Count);
        }

        return queued;
    }

    /// <summary>1, 2, 4… minutes between the sweep's attempts, at most an hour.</summary>
    public static TimeSpan Pause(int attempts) =>
        TimeSpan.FromMinutes(Math.Min(LongestPause.TotalMinutes, Math.Pow(2, Math.Max(0, attempts - 1))));

    private async Task ReportStuckAsync(UnfinishedItem item, SweepState state, CancellationToken cancellationToken)
    {
        Log.Stuck(logger, item.Key, item.Description, state.Attempts, state.FirstQueuedAt);
        if (item.ChannelId is null)
        {
            return;
        }

        try
        {
            // Told once: the notice is a write through the outbox.
            await notice.TellAsync(item, state.Attempts, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The channel may be what is failing: the warning above stands, and the notice is tried on the next pass.
            Log.CouldNotTell(logger, exception, item.Key);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Sweep queued {Queued} of {Unfinished} pieces of unfinished work")]
        public static partial void Queued(ILogger logger, int queued, int unfinished);

        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Unfinished work {WorkKey} ({Description}) keeps failing: queued {Attempts} times since {FirstQueuedAt:u}; trying again later")]
        public static partial void Stuck(ILogger logger, string workKey, string description, int attempts, DateTime firstQueuedAt);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Could not tell the incident channel that {WorkKey} keeps failing")]
        public static partial void CouldNotTell(ILogger logger, Exception exception, string workKey);
    }
}
