using System.Data.Common;
using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

/// <summary>
/// Asks for a message's capture reaction to be set to what the record says, and has it done soon: the ask is a row
/// (<see cref="CaptureAcknowledgement"/>), committed with the entry it follows where the caller can, and one drain
/// (<see cref="AcknowledgeCaptureJob"/>) at a time sets every asked message. A burst of pins queues one drain, not a
/// job each: each job cost more than the pin itself, and Slack limits reactions.add to about 50 a minute anyway.
/// In one process (in-memory job storage) the drain is a job, and says when it starts (<see cref="DrainStarted"/>).
/// On shared job storage a queued job may start on another replica, which cannot tell this one; there each replica
/// drains in-process instead (<see cref="CaptureAcknowledgementDrainer"/>), one replica at a time: a job per ask, with
/// its enqueue, fetch and state changes in the database, cost far more than the pin.
/// </summary>
public sealed class CaptureAcknowledgements(
    IBackgroundJobClient jobs, SqliteWriteGate gate, GroupCommit group, TimeProvider time, IOptions<BackgroundJobsOptions> options, DatabaseLocation location,
    CaptureAcknowledgementDrainer drainer)
{
    /// <summary>True on shared job storage: drains run in <see cref="CaptureAcknowledgementDrainer"/>, not as jobs.</summary>
    public bool DrainsInProcess { get; } = JobStorageKinds.IsShared(options.Value.Storage, location);

    /// <summary>
    /// A drain queued this long ago and not started yet is taken as lost (it timed out waiting for a long drain's
    /// lock, or its queue went with a restart), and a new one is queued.
    /// </summary>
    private static readonly TimeSpan QueuedDrainLostAfter = TimeSpan.FromSeconds(30);

    // When the drain that has not started yet was queued (a TimeProvider timestamp), or 0: every ask made until it starts is drained by it.
    private long _drainQueuedAt;

    /// <summary>Inside the caller's transaction (the hot path's group commit): the ask commits with the entry.</summary>
    public static async Task RequestAsync(GroupTransaction transaction, string channelId, string ts, DateTime now) =>
        await Parameters(transaction.Command(UpsertSql), channelId, ts, now).ExecuteNonQueryAsync();

    /// <summary>After a commit made with change tracking (commands, unpins, jobs): the ask in a write of its own.</summary>
    public async Task RequestAsync(IncidentBotDbContext db, string channelId, string ts, DateTime now, CancellationToken cancellationToken)
    {
        Task<int> Write() => db.RunCommandAsync(UpsertSql, command => Parameters(command, channelId, ts, now).ExecuteNonQueryAsync(cancellationToken), cancellationToken);

        await gate.RunAsync(Write, cancellationToken);
        Drain();
    }

    /// <summary>After the commit of an ask: queues a drain unless one is already queued and not started.</summary>
    public void Drain()
    {
        if (DrainsInProcess)
        {
            drainer.Signal();
            return;
        }

        var queuedAt = Volatile.Read(ref _drainQueuedAt);
        if (queuedAt != 0 && time.GetElapsedTime(queuedAt) < QueuedDrainLostAfter)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _drainQueuedAt, Math.Max(1, time.GetTimestamp()), queuedAt) == queuedAt)
        {
            jobs.Enqueue<AcknowledgeCaptureJob>(job => job.RunAsync(CancellationToken.None));
        }
    }

    /// <summary>A drain starts: an ask committed from now on queues the next one (this one may not read it).</summary>
    public void DrainStarted() => Volatile.Write(ref _drainQueuedAt, 0);

    /// <summary>
    /// Forgets the asks a drain has set, in one statement, each only if nobody asked again since it was read (then the
    /// next pass sets it once more). It rides the request path's group commit: a delete per ask, each its own
    /// transaction, raced the group commit for SQLite's lock, slept in SQLite's busy handler and stalled bursts of pins.
    /// </summary>
    public async Task ForgetAsync(IReadOnlyList<CaptureAcknowledgement> set, CancellationToken cancellationToken)
    {
        if (set.Count > 0)
        {
            await group.CommitAsync(new Forget(set), cancellationToken);
        }
    }

    private sealed class Forget(IReadOnlyList<CaptureAcknowledgement> set) : IGroupWrite
    {
        public async Task<bool> WriteAsync(GroupTransaction transaction, CancellationToken cancellationToken)
        {
            var rows = string.Join(", ", Enumerable.Range(0, set.Count).Select(i => $"(@c{i}, @t{i}, @r{i})"));
            var command = transaction.Command($"""DELETE FROM "CaptureAcknowledgements" WHERE ("ChannelId", "Ts", "Requests") IN (VALUES {rows})""");
            for (var i = 0; i < set.Count; i++)
            {
                command.AddParameter($"@c{i}", set[i].ChannelId).AddParameter($"@t{i}", set[i].Ts).AddParameter($"@r{i}", set[i].Requests);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
    }

    private static DbCommand Parameters(DbCommand command, string channelId, string ts, DateTime now) =>
        command.AddParameter("@channelId", channelId).AddParameter("@ts", ts).AddParameter("@now", now);

    /// <summary>
    /// The ask as part of a PostgreSQL statement of the caller's (a data-modifying CTE): one per row of
    /// <paramref name="rows"/>, with the parameters @channelId, @ts and @now.
    /// </summary>
    public static string AskSqlFor(string rows) => $"""
        INSERT INTO "CaptureAcknowledgements" ("ChannelId", "Ts", "Requests", "RequestedAt") SELECT @channelId, @ts, 1, @now FROM {rows}
        {OnConflict}
        """;

    // A new ask, or one more on a message already asked for (the drain that read the old count leaves the row).
    private const string OnConflict =
        """ON CONFLICT ("ChannelId", "Ts") DO UPDATE SET "Requests" = "CaptureAcknowledgements"."Requests" + 1, "RequestedAt" = excluded."RequestedAt" """;

    private const string UpsertSql = $"""
        INSERT INTO "CaptureAcknowledgements" ("ChannelId", "Ts", "Requests", "RequestedAt") VALUES (@channelId, @ts, 1, @now)
        {OnConflict}
        """;
}
