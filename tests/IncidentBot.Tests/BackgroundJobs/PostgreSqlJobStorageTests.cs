using Hangfire;
using Hangfire.Common;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.BackgroundJobs;

/// <summary>On PostgreSQL, Hangfire keeps its jobs in the bot's database, and the sweep still sees what is in flight.</summary>
public sealed class PostgreSqlJobStorageTests
{
    [SkippableFact]
    public async Task Jobs_queued_on_postgresql_are_kept_there_and_seen_in_flight()
    {
        // Arrange: Hangfire's real client and storage (no server, so the job stays queued).
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var options = new BotHostOptions { ManualJobs = false };
        foreach (var (key, value) in database.Settings)
        {
            options.Settings[key] = value;
        }

        await using var bot = await BotHost.StartAsync(options);

        // Act
        bot.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<PublishPostMortemJob>(job => job.RunAsync(7, CancellationToken.None));

        // Assert
        Assert.IsType<Hangfire.PostgreSql.PostgreSqlStorage>(bot.Services.GetRequiredService<JobStorage>());
        var expected = JobSignature.Of(Job.FromExpression<PublishPostMortemJob>(job => job.RunAsync(7, CancellationToken.None)));
        Assert.Contains(expected, bot.Services.GetRequiredService<IJobsInFlight>().Read());
    }
}
