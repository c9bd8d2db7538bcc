using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.BackgroundJobs;

/// <summary>The sweep finishes what failed past its retries, while the bot runs: no restart needed, nothing dropped.</summary>
public sealed class SweepTests : IAsyncLifetime
{
    private const string Ana = "U0ANA00001";
    private readonly FakeTimeProvider _time = Clock.AtSeedIncident();
    private SlackTestbed _testbed = null!;
    private string _ops = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(_time, options => options.InDeclaringChannel());
        _testbed.Slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
        _ops = _testbed.Slack.Workspace.CreateChannel("ops", false, Ana, _testbed.Slack.Options.BotUserId).Id;
        await _testbed.SettleAsync();
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task A_draft_whose_job_failed_past_its_retries_is_published_by_the_sweep_without_a_restart()
    {
        // Arrange: Slack refuses the draft's file share until further notice; the job fails, and nothing queues it again.
        await CloseWhileSlackRefusesTheFileAsync();
        Assert.Equal(0, _testbed.Bot.Jobs.Pending);
        var bot = _testbed.Bot;

        // Act: Slack recovers; a minute later the sweep runs, as it does every minute.
        _testbed.Slack.Faults.Clear("files.completeUploadExternal");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await SweepAsync());
        await _testbed.SettleAsync();

        // Assert: the same process published the draft, once, file included.
        Assert.Same(bot, _testbed.Bot);
        Assert.Single(_testbed.Slack.Workspace.Messages(_testbed.PostmortemChannel), m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal));
        Assert.Single(_testbed.Slack.Workspace.Messages(_testbed.PostmortemChannel), m => m.Subtype == "file_share");
        Assert.NotNull(await _testbed.QueryAsync(db => db.PostMortems.Select(p => p.PublishedAt).SingleAsync()));
        Assert.Equal(0, await SweepAsync());
        Assert.Empty(await _testbed.QueryAsync(db => db.SweepStates.ToListAsync()));
    }

    [Fact]
    public async Task Work_that_keeps_failing_is_retried_less_often_never_dropped_and_told_once_in_the_incident_channel()
    {
        await CloseWhileSlackRefusesTheFileAsync();

        // Each pass queues it again once its pause is over (1, 2, 4 minutes…); a pass within the pause leaves it be.
        var queued = new List<int>();
        foreach (var pause in new[] { 1, 1, 1, 2, 4 })
        {
            _time.Advance(TimeSpan.FromMinutes(pause));
            queued.Add(await SweepAsync());
            await RunJobsWhileSlackRefusesTheFileAsync();
        }

        Assert.Equal([1, 1, 0, 1, 1], queued);
        var state = await _testbed.QueryAsync(db => db.SweepStates.SingleAsync());
        Assert.Equal(("postmortem/1/publish", 4), (state.Key, state.Attempts));
        Assert.Single(_testbed.Slack.Workspace.Messages(_ops), m => m.Text.Contains("I keep failing at publishing the post-mortem draft", StringComparison.Ordinal));
        var health = await _testbed.Bot.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["unfinished-work"].Status);
        Assert.Equal(1, health.Entries["unfinished-work"].Data["stuck"]);

        // Once Slack takes the file, the next due pass finishes it, and the report clears.
        _testbed.Slack.Faults.Clear("files.completeUploadExternal");
        _time.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(1, await SweepAsync());
        await _testbed.SettleAsync();
        Assert.Single(_testbed.Slack.Workspace.Messages(_testbed.PostmortemChannel), m => m.Subtype == "file_share");
        await SweepAsync();
        health = await _testbed.Bot.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Entries["unfinished-work"].Status);
    }

    /// <summary>An incident is declared and closed while Slack refuses the draft's file share: its publication fails.</summary>
    private async Task CloseWhileSlackRefusesTheFileAsync()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "start Checkout down");
        await _testbed.SettleAsync();
        _testbed.Slack.Faults.SetPersistent("files.completeUploadExternal", Fault.Error("internal_error"));
        await _testbed.Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "close");
        await Assert.ThrowsAsync<SlackUnavailableException>(() => _testbed.Bot.Jobs.RunAllAsync());
    }

    private async Task RunJobsWhileSlackRefusesTheFileAsync()
    {
        try
        {
            await _testbed.Bot.Jobs.RunAllAsync();
        }
        catch (SlackUnavailableException)
        {
            // What a Hangfire worker would record as a failed attempt.
        }
    }

    /// <summary>One pass of the recurring sweep, as Hangfire runs it every minute.</summary>
    private async Task<int> SweepAsync()
    {
        await using var scope = _testbed.Bot.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<SweepUnfinishedWorkJob>(scope.ServiceProvider).RunAsync(afterStart: false, CancellationToken.None);
    }
}
