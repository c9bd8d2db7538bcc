using IncidentBot.Incidents;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents;

/// <summary>After the draft: the incident's own channel says it is closed, and is archived Incidents:ArchiveChannelAfterDays later.</summary>
public sealed class ChannelAfterCloseTests : IAsyncLifetime
{
    private const string Henry = "U0HENRY001";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 20, 6, 5, 30, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;
    private string _general = "";

    public Task InitializeAsync() => StartBotAsync(dedicatedChannels: true);

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task StartBotAsync(bool dedicatedChannels)
    {
        _testbed = await SlackTestbed.StartAsync(_time, options =>
        {
            options.Settings["Incidents:ArchiveChannelAfterDays"] = "7";
            options.Settings["Incidents:CreateChannel"] = dedicatedChannels ? "true" : "false";
            return options;
        });
        _testbed.Slack.Workspace.AddUser(Henry, "henry", "Henry Clifford");
        _general = _testbed.Slack.Workspace.CreateChannel("general", false, Henry, _testbed.Slack.Options.BotUserId).Id;
    }

    private async Task<string> StartIncidentAsync()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();
        return (await _testbed.QueryAsync(db => db.Incidents.SingleAsync())).ChannelId!;
    }

    private async Task InChannelAsync(string channel, string command, TimeSpan after)
    {
        _time.Advance(after);
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, channel, "/incident", command);
        await _testbed.SettleAsync();
    }

    private string TopicOf(string channel) => _testbed.Slack.Workspace.GetChannel(channel).Topic.Value;

    /// <summary>What the recurring job does every hour, run at the instant the test chose.</summary>
    private async Task ArchiveDueAsync(TimeSpan afterNow)
    {
        _time.Advance(afterNow);
        await using var scope = _testbed.Bot.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ArchiveClosedChannelsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Closing_says_so_in_the_topic_once_and_reopening_sets_it_back_to_live()
    {
        var channel = await StartIncidentAsync();
        var live = TopicOf(channel);

        await InChannelAsync(channel, "close", TimeSpan.FromMinutes(50));
        var closed = TopicOf(channel);
        await _testbed.SettleAsync();
        var topicsAfterClose = _testbed.Slack.Calls.Count("conversations.setTopic");
        await InChannelAsync(channel, "reopen", TimeSpan.FromMinutes(5));

        Assert.Equal("INC-1: Consumer app outage · declared 2017-09-20 06:05 UTC", live);
        Assert.Equal("INC-1 closed 2017-09-20 06:55 UTC · Consumer app outage · post-mortem draft posted; review it with /incident timeline", closed);
        Assert.Equal(2, topicsAfterClose);
        Assert.Equal(live, TopicOf(channel));
        Assert.Equal(3, _testbed.Slack.Calls.Count("conversations.setTopic"));
    }

    [Fact]
    public async Task A_closed_topic_whose_job_a_restart_forgot_is_set_by_the_sweep()
    {
        var channel = await StartIncidentAsync();
        _time.Advance(TimeSpan.FromMinutes(50));
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, channel, "/incident", "close");

        await _testbed.RestartBotAsync();
        await _testbed.SettleAsync();

        Assert.StartsWith("INC-1 closed 2017-09-20 06:55 UTC", TopicOf(channel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_slack_says_someone_else_created_is_never_archived()
    {
        await StartIncidentAsync();
        var theirs = _testbed.Slack.Workspace.CreateChannel("war-room", false, Henry, _testbed.Slack.Options.BotUserId).Id;
        await _testbed.QueryAsync(db => db.Incidents.ExecuteUpdateAsync(set => set.SetProperty(i => i.ChannelId, theirs)));
        await InChannelAsync(theirs, "close", TimeSpan.FromMinutes(50));

        await ArchiveDueAsync(TimeSpan.FromDays(8));

        Assert.False(_testbed.Slack.Workspace.GetChannel(theirs).IsArchived);
        Assert.Equal(0, _testbed.Slack.Calls.Count("conversations.archive"));
    }

    [Fact]
    public async Task The_channel_is_archived_once_the_configured_days_after_the_close()
    {
        var channel = await StartIncidentAsync();
        await InChannelAsync(channel, "close", TimeSpan.FromMinutes(50));

        await ArchiveDueAsync(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var beforeDue = _testbed.Slack.Workspace.GetChannel(channel).IsArchived;
        await ArchiveDueAsync(TimeSpan.FromMinutes(1));
        await ArchiveDueAsync(TimeSpan.FromHours(1));

        Assert.False(beforeDue);
        Assert.True(_testbed.Slack.Workspace.GetChannel(channel).IsArchived);
        Assert.Equal(1, _testbed.Slack.Calls.Count("conversations.archive"));
    }

    [Fact]
    public async Task An_incident_reopened_meanwhile_keeps_its_channel_and_the_days_count_from_its_next_close()
    {
        var channel = await StartIncidentAsync();
        await InChannelAsync(channel, "close", TimeSpan.FromMinutes(50));
        await InChannelAsync(channel, "reopen", TimeSpan.FromDays(3));

        await ArchiveDueAsync(TimeSpan.FromDays(5));
        var whileLive = _testbed.Slack.Workspace.GetChannel(channel).IsArchived;
        await InChannelAsync(channel, "close", TimeSpan.Zero);
        await ArchiveDueAsync(TimeSpan.FromDays(6));
        var sixDaysAfterSecondClose = _testbed.Slack.Workspace.GetChannel(channel).IsArchived;
        await ArchiveDueAsync(TimeSpan.FromDays(1));

        Assert.False(whileLive);
        Assert.False(sixDaysAfterSecondClose);
        Assert.True(_testbed.Slack.Workspace.GetChannel(channel).IsArchived);
    }

    [Fact]
    public async Task A_channel_the_incident_only_borrowed_is_never_archived_and_keeps_its_topic()
    {
        await _testbed.DisposeAsync();
        await StartBotAsync(dedicatedChannels: false);
        var channel = await StartIncidentAsync();

        await InChannelAsync(channel, "close", TimeSpan.FromMinutes(50));
        await ArchiveDueAsync(TimeSpan.FromDays(30));

        Assert.Equal(_general, channel);
        Assert.Equal("", TopicOf(channel));
        Assert.False(_testbed.Slack.Workspace.GetChannel(channel).IsArchived);
        Assert.Equal(0, _testbed.Slack.Calls.Count("conversations.archive"));
    }
}
