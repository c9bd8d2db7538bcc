using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Issue 13, "recurring work runs once": two replicas on one PostgreSQL database, both schedulers firing every
/// occurrence of every recurring job at the same moment, on one controlled clock.
/// </summary>
public sealed class RecurringWorkOnTwoReplicasTests : IAsyncLifetime
{
    private const string Ana = TestPeople.Ana;
    private static readonly DateTimeOffset Start = new(2017, 9, 21, 6, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = Clock.AtSeedIncident();
    private TwoReplicasInProcess _replicas = null!;
    private string _ops = "";

    public async Task InitializeAsync()
    {
        // Closed incidents' channels are archived a day after the close, so that a day shows that job's "once" too.
        _replicas = await TwoReplicasInProcess.StartAsync(_time, options =>
        {
            options.Settings["Incidents:ArchiveChannelAfterDays"] = "1";
            return options;
        });
        TestPeople.AddTo(_replicas.Slack.Workspace, Ana);
        _ops = _replicas.Slack.Workspace.CreateChannel("ops", false, Ana, _replicas.Slack.Options.BotUserId).Id;
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();

    private async Task CommandAsync(string channel, string text)
    {
        await _replicas.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", text);
        await _replicas.SettleAsync();
    }

    private List<string> Posted(string channel, string prefix) =>
        [.. _replicas.Slack.Workspace.Messages(channel).Select(m => m.Text).Where(t => t.StartsWith(prefix, StringComparison.Ordinal))];

    [SkippableFact]
    public async Task In_a_quiet_hour_with_both_replicas_up_each_nudge_and_each_reminder_is_posted_once()
    {
        // Arrange: one incident declared through each replica, the second with a severity that wants an update every 30 minutes.
        await CommandAsync(_ops, "start Checkout down");
        _replicas.DeliverTo(_replicas.B);
        await CommandAsync(_ops, "start Payments slow");
        var incidents = await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().OrderBy(i => i.Id).ToListAsync());
        Assert.All(incidents, i => Assert.Equal(IncidentStatus.Live, i.Status));
        var (quiet, severe) = (incidents[0].ChannelId!, incidents[1].ChannelId!);
        await CommandAsync(severe, "severity SEV1");

        // Act: an hour, a minute at a time; each minute both replicas run every recurring job at once.
        for (var minute = 1; minute <= 60; minute++)
        {
            _time.SetUtcNow(Start + TimeSpan.FromMinutes(minute));
            await _replicas.RunRecurringJobsOnBothAsync();
            await _replicas.SettleAsync();
        }

        // Assert: what reached Slack. One quiet period each (the nudge is no timeline entry), so one nudge each;
        // SEV1's interval passed twice (06:30, 07:00), so two reminders, one per interval.
        Assert.Single(Posted(quiet, ":hourglass:"));
        Assert.Single(Posted(severe, ":hourglass:"));
        Assert.Empty(Posted(quiet, ":mega:"));
        var reminders = Posted(severe, ":mega:");
        Assert.Equal(2, reminders.Count);
        Assert.Contains("for 30 min", reminders[0], StringComparison.Ordinal);
        Assert.Contains("for 1 h 00 min", reminders[1], StringComparison.Ordinal);
        Assert.Equal(2, _replicas.Slack.Calls.Count("conversations.create"));
        // Nothing was owed, so no sweep queued anything, and no sweep state was left by two sweeps racing.
        Assert.Equal(0, await _replicas.QueryAsync(db => db.SweepStates.CountAsync()));
        Assert.Equal(0, await _replicas.QueryAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)));
    }

    [SkippableFact]
    public async Task A_day_after_the_close_with_both_replicas_up_the_channel_is_archived_once()
    {
        // Arrange: an incident declared, then closed at 06:10 (its draft goes to #postmortems).
        await CommandAsync(_ops, "start Checkout down");
        var channel = (await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().SingleAsync())).ChannelId!;
        _time.SetUtcNow(Start + TimeSpan.FromMinutes(10));
        await CommandAsync(channel, "close");
        var before = _replicas.Slack.Calls.All.Count;

        // Act: a day and two hours, an hour at a time; each hour both replicas run every recurring job at once.
        for (var hour = 1; hour <= 26; hour++)
        {
            _time.SetUtcNow(Start + TimeSpan.FromMinutes(10) + TimeSpan.FromHours(hour));
            await _replicas.RunRecurringJobsOnBothAsync();
            await _replicas.SettleAsync();
        }

        // Assert: archived, by one call; and the recurring work wrote nothing else to Slack twice.
        Assert.True(_replicas.Slack.Workspace.FindChannel(channel)!.IsArchived);
        var writes = _replicas.Slack.Calls.All.Skip(before).Where(c => c.Method is not ("conversations.info" or "conversations.history" or "auth.test")).Select(c => c.Method).ToList();
        Assert.Equal(["conversations.archive"], writes);
    }

    /// <summary>
    /// The overlap the quiet hour's simultaneous start cannot show: one replica is still waiting on Slack for its
    /// nudge when the other's run begins, finds the nudge's outbox row claimed, and must wait for it, not post it too.
    /// </summary>
    [SkippableFact]
    public async Task A_nudge_still_in_flight_on_one_replica_is_not_posted_again_by_the_other()
    {
        // Arrange: a quiet incident, due for its nudge; Slack slow to answer A's post.
        await CommandAsync(_ops, "start Checkout down");
        var channel = (await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().SingleAsync())).ChannelId!;
        _time.SetUtcNow(Start + TimeSpan.FromMinutes(30));
        var nudge = _replicas.A.Services.GetServices<IncidentBot.BackgroundJobs.RecurringJobDeclaration>().Single(d => d.Id == "nudge-quiet-incidents").Job;
        _replicas.Slack.Faults.Enqueue("chat.postMessage", IncidentBot.SlackFake.Faults.Fault.Slow(TimeSpan.FromSeconds(2)));

        // Act: A starts; once its outbox row is written (A is now waiting on Slack), B runs the same occurrence.
        var onA = TwoReplicasInProcess.PerformAsync(_replicas.A, nudge);
        await Eventually.Until(() => _replicas.QueryAsync(db => db.Outbox.AnyAsync(o => o.Key.Contains("/nudge/"))), "A's nudge in the outbox");
        await TwoReplicasInProcess.PerformAsync(_replicas.B, nudge);
        await onA;
        await _replicas.SettleAsync();

        // Assert
        Assert.Single(Posted(channel, ":hourglass:"));
    }
}

