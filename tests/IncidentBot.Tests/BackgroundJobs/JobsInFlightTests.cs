using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.BackgroundJobs;

/// <summary>What the sweep reads from Hangfire's own storage: the jobs that will still run by themselves.</summary>
public sealed class JobsInFlightTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    // Hangfire's real client and in-memory storage, with no server: a queued job stays queued.
    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(new BotHostOptions { ManualJobs = false });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public void Queued_and_scheduled_jobs_are_in_flight_and_a_job_out_of_retries_is_not()
    {
        var jobs = _bot.Services.GetRequiredService<IBackgroundJobClient>();
        var queued = jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(7, CancellationToken.None));
        jobs.Schedule<PublishPostMortemJob>(job => job.RunAsync(8, CancellationToken.None), TimeSpan.FromMinutes(5));
        var failed = jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(9, CancellationToken.None));
        using (var connection = _bot.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            // Its ten automatic retries are used up: the failure stands (AutomaticRetry lets it through).
            connection.SetJobParameter(failed, "RetryCount", "10");
        }

        jobs.ChangeState(failed, new FailedState(new InvalidOperationException("Slack refused, ten times")), null);
        using (var connection = _bot.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Equal(FailedState.StateName, connection.GetStateData(failed).Name);
        }

        var inFlight = _bot.Services.GetRequiredService<IJobsInFlight>().Read();

        Assert.NotNull(queued);
        Assert.Contains(Signature(7), inFlight);
        Assert.Contains(Signature(8), inFlight);
        Assert.DoesNotContain(Signature(9), inFlight);
    }

    private static string Signature(int incidentId) =>
        JobSignature.Of(Job.FromExpression<PublishPostMortemJob>(job => job.RunAsync(incidentId, CancellationToken.None)));
}
