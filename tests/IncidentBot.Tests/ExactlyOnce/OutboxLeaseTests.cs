using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Tests.ExactlyOnce;

/// <summary>
/// The outbox's lease across replicas: two bot hosts (two claimants) on one PostgreSQL database, each with its own
/// outbox, as two replicas are; and SQLite, where one process owns the file and keeps taking a claim over at once.
/// </summary>
public sealed class OutboxLeaseTests
{
    private const string Key = "test/lease/post";

    [SkippableFact]
    public async Task A_slow_write_keeps_its_lease_past_the_lease_length_and_another_replica_waits_for_its_outcome_without_writing()
    {
        // Arrange: replica A's write is under way and takes longer than a lease.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var a = await StartAsync(database);
        await using var b = await StartAsync(database);
        var writes = 0;
        var slack = new TaskCompletionSource();
        await using var first = a.Services.CreateAsyncScope();
        var running = first.ServiceProvider.GetRequiredService<Outbox>().OnceAsync(Key, async (_, ct) =>
        {
            Interlocked.Increment(ref writes);
            await slack.Task.WaitAsync(ct);
            return new OutboxResult("C1", "1500000000.000100");
        }, CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref writes) == 1, "A to start writing");

        // Act: replica B tries the same write meanwhile, and A's write outlasts the lease by a third.
        await using var second = b.Services.CreateAsyncScope();
        var waiting = OnceAsync(second, () => Interlocked.Increment(ref writes));
        await Task.Delay(Outbox.Lease + Outbox.RenewEvery); // What is tested: that nothing happens for longer than a lease.
        var bWaited = !waiting.IsCompleted;
        var claimedBy = await ClaimedByAsync(a);
        slack.SetResult();
        var landed = await running;
        var bGot = await waiting;

        // Assert: B neither wrote nor took A's claim over; it took A's outcome.
        Assert.True(bWaited);
        Assert.Equal(a.Services.GetRequiredService<OutboxClaimant>().Id, claimedBy);
        Assert.Equal(1, writes);
        Assert.Equal(landed, bGot);
    }

    [SkippableFact]
    public async Task A_lease_left_by_a_dead_replica_is_taken_over_once_it_lapses_and_the_new_attempt_looks_first()
    {
        // Arrange: a replica died mid-write; its lease has a few seconds to run.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartAsync(database);
        var lapses = await LeaveClaimAsync(bot, "dead-replica", TimeSpan.FromSeconds(3));

        // Act
        OutboxAttempt? attempt = null;
        DateTime? writtenAt = null;
        await using var scope = bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Outbox>().OnceAsync(Key, async (a, _) =>
        {
            attempt = a;
            writtenAt = await DatabaseNowAsync(bot);
            return new OutboxResult("C1", "1500000000.000200");
        }, CancellationToken.None);

        // Assert: not before the lapse, and told that the dead replica's write may have landed.
        Assert.True(writtenAt >= lapses, $"Written at {writtenAt:O}, before the lease lapsed at {lapses:O}");
        Assert.True(attempt!.MayHaveLanded);
    }

    [SkippableFact]
    public async Task A_replica_that_finds_its_lease_taken_warns_and_stops_its_write()
    {
        // Arrange: A's write is under way.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var logs = new CapturingLoggerProvider();
        await using var a = await StartAsync(database, logs);
        var started = new TaskCompletionSource();
        var stopped = false;
        await using var scope = a.Services.CreateAsyncScope();
        var running = scope.ServiceProvider.GetRequiredService<Outbox>().OnceAsync(Key, async (_, ct) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                stopped = true;
                throw;
            }

            return new OutboxResult("C1", "never");
        }, CancellationToken.None);
        await started.Task;

        // Act: another replica holds the row now (A stalled past its lease, and the other took it over).
        await LeaveClaimAsync(a, "other-replica", Outbox.Lease);

        // Assert
        await Assert.ThrowsAsync<OutboxBusyException>(() => running.WaitAsync(Outbox.Lease));
        Assert.True(stopped);
        Assert.Single(logs.Lines, l => l.StartsWith("Warning IncidentBot.ExactlyOnce.Outbox The outbox lease on test/lease/post was lost", StringComparison.Ordinal)
            && l.Contains($" OutboxKey={Key} ", StringComparison.Ordinal)
            && l.Contains($" Claimant={a.Services.GetRequiredService<OutboxClaimant>().Id} ", StringComparison.Ordinal));
        Assert.Equal("other-replica", await ClaimedByAsync(a));
    }

    [Fact]
    public async Task On_sqlite_a_claim_by_another_claimant_is_taken_over_at_once_since_its_process_is_gone()
    {
        // Arrange: the file lock lets one process in: the claimant that left this claim is a crashed one.
        await using var bot = await BotHost.StartAsync(new BotHostOptions());
        Assert.True(bot.Services.GetRequiredService<OutboxClaimant>().SoleProcess);
        await LeaveClaimAsync(bot, "crashed-process", TimeSpan.FromMinutes(1));

        // Act
        OutboxAttempt? attempt = null;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await using var scope = bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Outbox>().OnceAsync(Key, (a, _) =>
        {
            attempt = a;
            return Task.FromResult(new OutboxResult("C1", "1500000000.000300"));
        }, CancellationToken.None);

        // Assert: long before the minute's lease would lapse.
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"Took {waited.Elapsed}");
        Assert.True(attempt!.MayHaveLanded);
    }

    private static async Task<BotHost> StartAsync(PostgreSqlTestDatabase database, CapturingLoggerProvider? logs = null)
    {
        var bot = await database.StartBotAsync(new BotHostOptions { ConfigureServices = logs is null ? null : services => services.AddSingleton<ILoggerProvider>(logs) });
        Assert.False(bot.Services.GetRequiredService<OutboxClaimant>().SoleProcess);
        return bot;
    }

    /// <summary>The row as an attempt of <paramref name="claimant"/> leaves it: unsent, claimed for <paramref name="lease"/> from now (the database's clock on PostgreSQL).</summary>
    private static async Task<DateTime> LeaveClaimAsync(BotHost bot, string claimant, TimeSpan lease)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var until = (db.Database.IsNpgsql() ? await DatabaseNowAsync(bot) : DateTime.UtcNow) + lease;
        if (await db.Outbox.Where(e => e.Key == Key).ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, claimant).SetProperty(e => e.ClaimedUntil, until)) == 0)
        {
            db.Outbox.Add(new OutboxEntry { Key = Key, Token = Guid.NewGuid().ToString("N"), CreatedAt = DateTime.UtcNow, ClaimedBy = claimant, ClaimedUntil = until });
            await db.SaveChangesAsync();
        }

        return until;
    }

    private static async Task<DateTime> DatabaseNowAsync(BotHost bot)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>().Database.SqlQueryRaw<DateTime>("SELECT now() AS \"Value\"").SingleAsync();
    }

    private static async Task<string?> ClaimedByAsync(BotHost bot)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>().Outbox.Where(e => e.Key == Key).Select(e => e.ClaimedBy).SingleAsync();
    }

    private static Task<OutboxResult> OnceAsync(AsyncServiceScope scope, Action write) =>
        scope.ServiceProvider.GetRequiredService<Outbox>().OnceAsync(Key, (_, _) =>
        {
            write();
            return Task.FromResult(new OutboxResult("C1", "other"));
        }, CancellationToken.None);
}
