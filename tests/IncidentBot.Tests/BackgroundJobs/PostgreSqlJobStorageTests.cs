using Hangfire;
using Hangfire.Common;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.BackgroundJobs;

/// <summary>On PostgreSQL, Hangfire keeps its jobs in the bot's database, the sweep still sees what is in flight, and its first run knows the queue survived.</summary>
public sealed class PostgreSqlJobStorageTests
{
    [SkippableFact]
    public async Task Jobs_queued_on_postgresql_are_kept_there_and_seen_in_flight()
    {
        // Arrange: Hangfire's real client and storage (no server, so the job stays queued).
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await database.StartBotAsync(new BotHostOptions { ManualJobs = false });

        // Act
        bot.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<PublishPostMortemJob>(job => job.RunAsync(7, CancellationToken.None));

        // Assert
        Assert.IsType<Hangfire.PostgreSql.PostgreSqlStorage>(bot.Services.GetRequiredService<JobStorage>());
        var expected = JobSignature.Of(Job.FromExpression<PublishPostMortemJob>(job => job.RunAsync(7, CancellationToken.None)));
        Assert.Contains(expected, bot.Services.GetRequiredService<IJobsInFlight>().Read());
    }

    [SkippableFact]
    public async Task The_sweep_at_start_on_postgresql_keeps_the_pauses_since_the_queue_survived_and_another_replica_may_be_at_work()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await database.StartBotAsync(new BotHostOptions { ManualJobs = false });

        var inFlight = bot.Services.GetRequiredService<IJobsInFlight>().Read();
        Assert.Contains(SweepAtStart(afterStart: false), inFlight);
        Assert.DoesNotContain(SweepAtStart(afterStart: true), inFlight);
    }

    [Fact]
    public async Task The_sweep_at_start_on_in_memory_storage_ignores_the_pauses_since_the_queue_is_gone()
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions { ManualJobs = false });

        var inFlight = bot.Services.GetRequiredService<IJobsInFlight>().Read();
        Assert.Contains(SweepAtStart(afterStart: true), inFlight);
        Assert.DoesNotContain(SweepAtStart(afterStart: false), inFlight);
    }

    private static string SweepAtStart(bool afterStart) =>
        JobSignature.Of(Job.FromExpression<SweepUnfinishedWorkJob>(job => job.RunAsync(afterStart, CancellationToken.None)));
}
