using System.Linq.Expressions;
using Hangfire.Common;

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>
/// A capability's answer to "what of mine is unfinished?", from its own rows. The sweep asks every capability and
/// queues again what is unfinished and not in flight; the capability never needs to know about restarts or retries.
/// </summary>
public interface IUnfinishedWork
{
    Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One unfinished piece of work: its stable <paramref name="Key"/> (e.g. <c>incident/12/open</c>), the job that
/// finishes it, what it is in words, and the incident channel to tell if it keeps failing (null: the log only).
/// </summary>
public sealed record UnfinishedItem(string Key, Job Job, string Description, string? ChannelId)
{
    public static UnfinishedItem For<TJob>(string key, Expression<Func<TJob, Task>> job, string description, string? channelId = null) =>
        new(key, Job.FromExpression(job), description, channelId);
}

/// <summary>Tells an incident channel, once, that a piece of its work keeps failing (the outbox makes the "once").</summary>
public interface IStuckWorkNotice
{
    Task TellAsync(UnfinishedItem item, int attempts, CancellationToken cancellationToken);
}
