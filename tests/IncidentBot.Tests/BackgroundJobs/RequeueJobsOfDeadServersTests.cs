using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using IncidentBot.BackgroundJobs.Failover;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentBot.Tests.BackgroundJobs;

/// <summary>
/// Replicas sharing Hangfire's storage on PostgreSQL: a job held by a dead server is not in flight for the sweep, and
/// is queued again; one held by a live server is left alone. Servers are announced to the storage as Hangfire's own
/// would, one of them with its last beat a minute old.
/// </summary>
public sealed class RequeueJobsOfDeadServersTests
{
    [SkippableFact]
    public async Task A_job_held_by_a_dead_server_is_not_in_flight_and_is_queued_again_and_a_live_servers_job_is_left_alone()
    {
        // Arrange: Hangfire's real client and storage, no server of the bot's own.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartWithoutServerAsync(database);
        var storage = bot.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("live:1:a", new ServerContext { WorkerCount = 1, Queues = ["default"] });
            connection.AnnounceServer("dead:2:b", new ServerContext { WorkerCount = 1, Queues = ["default"] });
        }

        await using (var sql = new NpgsqlConnection(database.ConnectionString))
        {
            await sql.OpenAsync();
            await using var stale = new NpgsqlCommand("""UPDATE hangfire.server SET lastheartbeat = now() - interval '1 minute' WHERE id = 'dead:2:b'""", sql);
            Assert.Equal(1, await stale.ExecuteNonQueryAsync());
        }

        var client = bot.Services.GetRequiredService<IBackgroundJobClient>();
        var onLive = Processing(client, "live:1:a", 7);
        var onDead = Processing(client, "dead:2:b", 8);
        await FetchedAsync(database);

        // Act
        var inFlightBefore = bot.Services.GetRequiredService<IJobsInFlight>().Read();
        var requeued = await ActivatorUtilities.CreateInstance<RequeueJobsOfDeadServers>(bot.Services).RequeueOnceAsync(CancellationToken.None);

        // Assert
        Assert.Contains(Signature(7), inFlightBefore);
        Assert.DoesNotContain(Signature(8), inFlightBefore);
        Assert.Equal(1, requeued);
        using (var connection = storage.GetConnection())
        {
            Assert.Equal(ProcessingState.StateName, connection.GetStateData(onLive).Name);
            Assert.Equal(EnqueuedState.StateName, connection.GetStateData(onDead).Name);
        }

        Assert.Contains(Signature(8), bot.Services.GetRequiredService<IJobsInFlight>().Read());
    }

    [SkippableFact]
    public async Task Only_one_replica_at_a_time_makes_the_pass()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartWithoutServerAsync(database);
        var onDead = await OrphanAsync(bot, database);
        await using (await bot.Services.GetRequiredService<ReplicaLocks>().HoldAsync(RequeueJobsOfDeadServers.LockName, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            // Another replica's pass is under way (it holds the lock): this one does nothing.
            Assert.Equal(0, await Pass(bot));
        }

        // The other pass over (here it found nothing), the job is queued again by the next pass.
        Assert.Equal(1, await Pass(bot));
        using var check = bot.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal(EnqueuedState.StateName, check.GetStateData(onDead).Name);
    }

    [SkippableFact]
    public async Task A_replica_killed_during_its_pass_leaves_the_next_pass_free_at_once()
    {
        // Arrange: a replica is making its pass when it dies; PostgreSQL ends its connection, as it does a killed
        // process's (its socket closed by the kernel). A Hangfire lock, a row, would outlive it by a minute.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartWithoutServerAsync(database);
        var onDead = await OrphanAsync(bot, database);
        var dying = await bot.Services.GetRequiredService<ReplicaLocks>().HoldAsync(RequeueJobsOfDeadServers.LockName, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(0, await Pass(bot));

        // Act
        await using (var sql = new NpgsqlConnection(database.ConnectionString))
        {
            await sql.OpenAsync();
            // With a timeout, pg_terminate_backend answers true only once the backend is gone (without one, as soon as
            // it is signalled, and the pass below could still find the lock held).
            await using var kill = new NpgsqlCommand("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = hashtext(@name)::oid", sql);
            kill.Parameters.AddWithValue("name", RequeueJobsOfDeadServers.LockName);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        // Assert: the very next pass runs and queues the orphan again.
        Assert.Equal(1, await Pass(bot));
        await dying.DisposeAsync();
        using var check = bot.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal(EnqueuedState.StateName, check.GetStateData(onDead).Name);
    }

    private static Task<BotHost> StartWithoutServerAsync(PostgreSqlTestDatabase database) =>
        database.StartBotAsync(new BotHostOptions { ManualJobs = false, Settings = { ["BackgroundJobs:ServerEnabled"] = "false" } });

    /// <summary>A job processing on a server that is no longer listed at all: a dead one, removed by a watchdog.</summary>
    private static async Task<string> OrphanAsync(BotHost bot, PostgreSqlTestDatabase database)
    {
        using (var connection = bot.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            connection.AnnounceServer("dead:2:b", new ServerContext { WorkerCount = 1, Queues = ["default"] });
        }

        var job = Processing(bot.Services.GetRequiredService<IBackgroundJobClient>(), "dead:2:b", 8);
        await FetchedAsync(database);
        await using var sql = new NpgsqlConnection(database.ConnectionString);
        await sql.OpenAsync();
        await using var remove = new NpgsqlCommand("DELETE FROM hangfire.server", sql);
        await remove.ExecuteNonQueryAsync();
        return job;
    }

    private static Task<int> Pass(BotHost bot) =>
        ActivatorUtilities.CreateInstance<RequeueJobsOfDeadServers>(bot.Services).RequeueOnceAsync(CancellationToken.None);

    private static string Processing(IBackgroundJobClient client, string serverId, int incidentId)
    {
        var id = client.Create(Job.FromExpression<PublishPostMortemJob>(job => job.RunAsync(incidentId, CancellationToken.None)), new EnqueuedState());
        Assert.True(client.ChangeState(id, new ProcessingOn(serverId), EnqueuedState.StateName));
        return id;
    }

    /// <summary>Their queue rows taken by the workers that run them, as Hangfire.PostgreSql's fetch leaves them.</summary>
    private static async Task FetchedAsync(PostgreSqlTestDatabase database)
    {
        await using var sql = new NpgsqlConnection(database.ConnectionString);
        await sql.OpenAsync();
        await using var fetch = new NpgsqlCommand("UPDATE hangfire.jobqueue SET fetchedat = now() WHERE fetchedat IS NULL", sql);
        await fetch.ExecuteNonQueryAsync();
    }

    private static string Signature(int incidentId) =>
        JobSignature.Of(Job.FromExpression<PublishPostMortemJob>(job => job.RunAsync(incidentId, CancellationToken.None)));

    /// <summary>Hangfire's Processing state as a worker of <paramref name="ServerId"/> records it (its own constructor is internal).</summary>
    private sealed record ProcessingOn(string ServerId) : IState
    {
        public string Name => ProcessingState.StateName;

        public string Reason => "Fetched by a worker of that server";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = ServerId,
            ["WorkerId"] = "worker-1",
        };
    }
}
