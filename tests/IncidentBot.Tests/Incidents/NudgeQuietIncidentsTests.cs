using IncidentBot.Incidents.Jobs;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Incidents;

/// <summary>Nudges in quiet incident channels: once per quiet period, on a clock the test controls.</summary>
public sealed class NudgeQuietIncidentsTests() : OpsChannelTestBase(TestPeople.Ana)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Command("start Checkout down");
    }

    private async Task Command(string text)
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", text);
        await Testbed.SettleAsync();
    }

    /// <summary>What the recurring job does each minute, run at the instant the test chose.</summary>
    private async Task<List<string>> NudgeAtAsync(TimeSpan afterStart)
    {
        var start = new DateTimeOffset(2017, 9, 21, 6, 0, 0, TimeSpan.Zero);
        Time.SetUtcNow(start + afterStart);
        await using (var scope = Testbed.Bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<NudgeQuietIncidentsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }

        return [.. Testbed.Slack.Workspace.Messages(Ops).Select(m => m.Text).Where(t => t.StartsWith(":hourglass:", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task A_quiet_incident_is_nudged_once_per_quiet_period()
    {
        Assert.Empty(await NudgeAtAsync(TimeSpan.FromMinutes(29)));
        var first = await NudgeAtAsync(TimeSpan.FromMinutes(30));
        var stillQuiet = await NudgeAtAsync(TimeSpan.FromMinutes(31));
        var later = await NudgeAtAsync(TimeSpan.FromMinutes(55));

        Assert.Single(first);
        Assert.Equal(first, stillQuiet);
        Assert.Equal(first, later);
    }

    [Fact]
    public async Task New_timeline_activity_starts_a_new_quiet_period()
    {
        await NudgeAtAsync(TimeSpan.FromMinutes(30));
        Time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 40, 0, TimeSpan.Zero));
        await Command("note failing over to the replica");

        Assert.Single(await NudgeAtAsync(TimeSpan.FromMinutes(69)));
        Assert.Equal(2, (await NudgeAtAsync(TimeSpan.FromMinutes(70))).Count);
    }

    [Fact]
    public async Task The_leader_is_reminded_of_a_missing_severity_and_not_once_it_is_set()
    {
        var first = Assert.Single(await NudgeAtAsync(TimeSpan.FromMinutes(30)));
        Time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 35, 0, TimeSpan.Zero));
        await Command("severity SEV2");
        var second = (await NudgeAtAsync(TimeSpan.FromMinutes(65)))[^1];

        Assert.Contains($"<@{Ana}>, the severity is not set yet", first, StringComparison.Ordinal);
        Assert.DoesNotContain("severity is not set", second, StringComparison.Ordinal);
        Assert.Contains("for 30 min", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nudge_whose_post_failed_is_posted_on_the_next_run_and_still_only_once()
    {
        Testbed.Slack.Faults.Enqueue("chat.postMessage", IncidentBot.SlackFake.Faults.Fault.Error("not_in_channel"));

        await Assert.ThrowsAnyAsync<Exception>(() => NudgeAtAsync(TimeSpan.FromMinutes(30)));
        Assert.Null(await Testbed.QueryAsync(db => db.Outbox.Where(o => o.Key.Contains("/nudge/")).Select(o => o.SlackId).SingleAsync()));
        var afterRetry = await NudgeAtAsync(TimeSpan.FromMinutes(31));

        Assert.Single(afterRetry);
        Assert.NotNull(await Testbed.QueryAsync(db => db.Outbox.Where(o => o.Key.Contains("/nudge/")).Select(o => o.SlackId).SingleAsync()));
    }

    [Fact]
    public async Task Closed_incidents_are_never_nudged()
    {
        Time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 10, 0, TimeSpan.Zero));
        await Command("close");

        Assert.Empty(await NudgeAtAsync(TimeSpan.FromHours(3)));
    }
}
