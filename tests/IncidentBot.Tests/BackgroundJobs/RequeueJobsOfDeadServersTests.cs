using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using IncidentBot.BackgroundJobs.Failover;
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
        var options = new BotHostOptions { ManualJobs = false, Settings = { ["BackgroundJobs:ServerEnabled"] = "false" } };
        foreach (var (key, value) in database.Settings)
        {
            options.Settings[key] = value;
        }

        await using var bot = await BotHost.StartAsync(options);
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
        var requeued = ActivatorUtilities.CreateInstance<RequeueJobsOfDeadServers>(bot.Services).RequeueOnce();

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
        var options = new BotHostOptions { ManualJobs = false, Settings = { ["BackgroundJobs:ServerEnabled"] = "false" } };
        foreach (var (key, value) in database.Settings)
        {
            options.Settings[key] = value;
        }

        await using var bot = await BotHost.StartAsync(options);
        var storage = bot.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("dead:2:b", new ServerContext { WorkerCount = 1, Queues = ["default"] });
        }

        var onDead = Processing(bot.Services.GetRequiredService<IBackgroundJobClient>(), "dead:2:b", 8);
        await FetchedAsync(database);
        using (storage.GetConnection().AcquireDistributedLock(RequeueJobsOfDeadServers.LockResource, TimeSpan.FromSeconds(5)))
        {
            // Another replica's pass is under way (it holds the lock): this one does nothing.
            await using var sql = new NpgsqlConnection(database.ConnectionString);
            await sql.OpenAsync();
            await using var remove = new NpgsqlCommand("DELETE FROM hangfire.server", sql);
            await remove.ExecuteNonQueryAsync();
            Assert.Equal(0, ActivatorUtilities.CreateInstance<RequeueJobsOfDeadServers>(bot.Services).RequeueOnce());
        }

        // Its server gone from the list altogether, the job is queued again by the next pass.
        Assert.Equal(1, ActivatorUtilities.CreateInstance<RequeueJobsOfDeadServers>(bot.Services).RequeueOnce());
        using var check = storage.GetConnection();
        Assert.Equal(EnqueuedState.StateName, check.GetStateData(onDead).Name);
    }

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
