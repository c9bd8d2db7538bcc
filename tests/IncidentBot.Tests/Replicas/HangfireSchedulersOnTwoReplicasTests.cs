using System.Collections.Concurrent;
using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// What the quiet hour takes from Hangfire rather than tests itself: with both replicas' real Hangfire servers on the
/// shared PostgreSQL storage, a recurring job's occurrence is triggered once (RecurringJobScheduler takes
/// <c>recurring-jobs:lock</c>, a row in <c>hangfire.lock</c>), and a job marked [DisableConcurrentExecution] never runs
/// on both at once (the same table). Real time: Hangfire's schedulers and workers do not read the bot's clock.
/// </summary>
public sealed class HangfireSchedulersOnTwoReplicasTests
{
    /// <summary>Each replica runs the bot's own Hangfire server, as configured in production, with <paramref name="services"/> added.</summary>
    private static Task<TwoReplicasInProcess> StartWithServersAsync(Action<IServiceCollection>? services = null) =>
        TwoReplicasInProcess.StartAsync(manualJobs: false, configure: options =>
        {
            options.Settings["BackgroundJobs:ServerEnabled"] = "true";
            return options with { ConfigureServices = services };
        });

    [SkippableFact]
    public async Task A_recurring_occurrence_is_triggered_once_with_both_replicas_schedulers_running()
    {
        // Arrange: a job due every second, declared by both replicas as the bot declares its own.
        var id = "replica-probe-" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = await StartWithServersAsync(services => services.AddRecurringJob<CountingJob>(id, job => job.RunAsync(id), "* * * * * *"));

        // Act: both schedulers poll (each at start, then every 15 s) while the occurrence is due at every poll.
        await Eventually.Until(() => CountingJob.Runs(id) >= 2, "two occurrences run", timeout: TimeSpan.FromSeconds(60));

        // Assert: every background job Hangfire made for it is for an occurrence of its own, and each ran once.
        var occurrences = await OccurrencesAsync(replicas.Database, id);
        Assert.True(occurrences.Count >= 2);
        Assert.All(occurrences, o => Assert.Equal(1, o.Jobs));
        await Eventually.Until(() => CountingJob.Runs(id) == occurrences.Count, "each occurrence run once", () => $"{CountingJob.Runs(id)} runs, {occurrences.Count} occurrences");
    }

    [SkippableFact]
    public async Task A_job_that_disables_concurrent_execution_never_runs_on_both_replicas_at_once()
    {
        // Arrange
        var id = "overlap-probe-" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = await StartWithServersAsync();

        // Act: queued through both replicas; eight workers between them could run all four at once.
        foreach (var replica in replicas.Both)
        {
            var jobs = replica.Services.GetRequiredService<IBackgroundJobClient>();
            jobs.Enqueue<OverlapJob>(job => job.RunAsync(id));
            jobs.Enqueue<OverlapJob>(job => job.RunAsync(id));
        }

        await Eventually.Until(() => OverlapJob.Finished(id) == 4, "the four jobs run", () => $"{OverlapJob.Finished(id)} finished", TimeSpan.FromSeconds(90));

        // Assert
        Assert.Equal(1, OverlapJob.MostAtOnce(id));
    }

    /// <summary>Hangfire's record of what it triggered: one row per occurrence time, with how many jobs it made for it.</summary>
    private static async Task<List<(string Time, int Jobs)>> OccurrencesAsync(PostgreSqlTestDatabase database, string id)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT t.value, count(*)::int FROM hangfire.jobparameter r
            JOIN hangfire.jobparameter t ON t.jobid = r.jobid AND t.name = 'Time'
            WHERE r.name = 'RecurringJobId' AND r.value = @id
            GROUP BY t.value
            """,
            connection);
        query.Parameters.AddWithValue("id", System.Text.Json.JsonSerializer.Serialize(id));
        var occurrences = new List<(string, int)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            occurrences.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return occurrences;
    }
}

/// <summary>Counts its runs by probe id (static: the two replicas share this process, and that is what is counted).</summary>
public sealed class CountingJob
{
    private static readonly ConcurrentDictionary<string, int> Counts = new();

    public static int Runs(string id) => Counts.GetValueOrDefault(id);

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(string id)
    {
        Counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Notes how many of its runs overlap, by probe id, across both replicas.</summary>
public sealed class OverlapJob
{
    private static readonly ConcurrentDictionary<string, (int Running, int Most, int Finished)> States = new();

    public static int MostAtOnce(string id) => States.GetValueOrDefault(id).Most;

    public static int Finished(string id) => States.GetValueOrDefault(id).Finished;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(string id)
    {
        States.AddOrUpdate(id, (1, 1, 0), (_, s) => (s.Running + 1, Math.Max(s.Most, s.Running + 1), s.Finished));
        // Long enough that a second worker, on either replica, would start meanwhile were it let in.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        States.AddOrUpdate(id, (0, 1, 1), (_, s) => (s.Running - 1, s.Most, s.Finished + 1));
    }
}
