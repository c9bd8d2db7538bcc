using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents;

/// <summary>The default mode: each incident gets its own channel, opened after the command was acknowledged.</summary>
public sealed class OpenIncidentChannelTests : IAsyncLifetime
{
    private const string Henry = "U0HENRY001";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 20, 6, 5, 30, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;
    private string _general = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(_time);
        _testbed.Slack.Workspace.AddUser(Henry, "henry", "Henry Clifford");
        // The bot is not a member where the command is typed: the link goes through the response_url.
        _general = _testbed.Slack.Workspace.CreateChannel("general", false, Henry).Id;
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private Task<Incident> TheIncident() => _testbed.QueryAsync(db => db.Incidents.SingleAsync());

    [Fact]
    public async Task Start_answers_at_once_then_opens_names_invites_announces_and_links()
    {
        var command = await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");

        Assert.Equal("ephemeral", command.Json!.Value.GetProperty("response_type").GetString());
        Assert.Equal(0, _testbed.Slack.Calls.Count("conversations.create"));
        Assert.Equal(IncidentStatus.Opening, (await TheIncident()).Status);

        await _testbed.SettleAsync();

        var incident = await TheIncident();
        var channel = _testbed.Slack.Workspace.GetChannel(incident.ChannelId!);
        Assert.Equal("inc-2017-09-20-consumer-app-outage", channel.Name);
        Assert.Equal(IncidentStatus.Live, incident.Status);
        Assert.Contains(Henry, channel.Members);
        Assert.Equal("INC-1: Consumer app outage · declared 2017-09-20 06:05 UTC", channel.Topic.Value);
        var announcementTs = await _testbed.QueryAsync(db => db.Outbox.Where(o => o.Key == OpenIncidentChannelJob.OutboxKey(incident.Id, "announcement")).Select(o => o.SlackId!).SingleAsync());
        var announcement = _testbed.Slack.Workspace.GetMessage(channel.Id, announcementTs);
        Assert.Contains("INC-1 declared: *Consumer app outage*", announcement.Text, StringComparison.Ordinal);
        var link = Assert.Single(_testbed.Slack.Driver.ResponsesFor(command.ResponseUrlId));
        Assert.Contains($"Follow it in <#{channel.Id}>", link.Text, StringComparison.Ordinal);
        Assert.Equal("in_channel", link.ResponseType);
    }

    [Theory]
    [InlineData("Café down", "inc-2017-09-20-cafe-down")]
    [InlineData("Сбой оплаты", "inc-2017-09-20-sboy-oplaty")]
    [InlineData("🔥🔥🔥", "inc-2017-09-20-inc-1")]
    public async Task The_channel_is_named_by_the_title_in_ascii_or_else_by_the_incident_number(string title, string expected)
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start " + title);
        await _testbed.SettleAsync();

        Assert.Equal(expected, _testbed.Slack.Workspace.GetChannel((await TheIncident()).ChannelId!).Name);
    }

    [Fact]
    public async Task A_taken_name_gets_a_suffix()
    {
        _testbed.Slack.Workspace.CreateChannel("inc-2017-09-20-consumer-app-outage", false, Henry);
        _testbed.Slack.Workspace.CreateChannel("inc-2017-09-20-consumer-app-outage-2", false, Henry);

        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();

        Assert.Equal("inc-2017-09-20-consumer-app-outage-3", (await TheIncident()).ChannelName);
    }

    [Fact]
    public async Task A_channel_that_cannot_be_created_is_reported_to_the_declarer_not_swallowed()
    {
        _testbed.Slack.Faults.Enqueue("conversations.create", Fault.Error("restricted_action"));

        var command = await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();

        var incident = await TheIncident();
        Assert.Equal(IncidentStatus.Failed, incident.Status);
        var told = Assert.Single(_testbed.Slack.Driver.ResponsesFor(command.ResponseUrlId));
        Assert.Contains("could not open a channel for INC-1", told.Text, StringComparison.Ordinal);
        Assert.Contains("restricted_action", told.Text, StringComparison.Ordinal);
        Assert.Equal("ephemeral", told.ResponseType);

        // The failure frees the way for another try.
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();
        Assert.Equal(IncidentStatus.Live, (await _testbed.QueryAsync(db => db.Incidents.SingleAsync(i => i.Id == 2))).Status);
    }

    [Fact]
    public async Task An_invite_slack_refuses_for_good_is_told_once_and_the_incident_is_still_announced_and_finished()
    {
        // A guest declarer, say: Slack will never let the bot invite them.
        _testbed.Slack.Faults.SetPersistent("conversations.invite", Fault.Error("user_is_restricted"));

        var command = await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();

        var incident = await TheIncident();
        Assert.Equal(IncidentStatus.Live, incident.Status);
        Assert.Single(_testbed.Slack.Workspace.Messages(incident.ChannelId!), m => m.Text.Contains("INC-1 declared", StringComparison.Ordinal));
        var told = _testbed.Slack.Driver.ResponsesFor(command.ResponseUrlId).Select(r => r.Text ?? "").ToList();
        Assert.Single(told, t => t.Contains("could not invite you (user_is_restricted)", StringComparison.Ordinal));
        Assert.Single(told, t => t.Contains("Follow it in", StringComparison.Ordinal));

        // Nothing is left for the sweep to do, so it is not retried for ever.
        await using var scope = _testbed.Bot.Services.CreateAsyncScope();
        var sweep = ActivatorUtilities.CreateInstance<SweepUnfinishedWorkJob>(scope.ServiceProvider);
        Assert.Equal(0, await sweep.RunAsync(afterStart: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_lost_answer_to_the_channel_creation_opens_the_incident_in_the_channel_slack_created()
    {
        _testbed.Slack.Faults.Enqueue("conversations.create", Fault.LostResponse());

        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();

        var channel = Assert.Single(_testbed.Slack.Workspace.Channels, c => c.Name.StartsWith("inc-", StringComparison.Ordinal));
        var incident = await TheIncident();
        Assert.Equal((IncidentStatus.Live, channel.Id, "inc-2017-09-20-consumer-app-outage"), (incident.Status, incident.ChannelId, incident.ChannelName));
        Assert.Equal(1, _testbed.Slack.Calls.Count("conversations.create"));
        Assert.Equal("public_channel", _testbed.Slack.Calls.Last("conversations.list")!.Argument("types"));
        Assert.Contains(Henry, channel.Members);
    }

    [Fact]
    public async Task A_failed_creation_never_takes_over_a_same_named_channel_that_is_not_its_own()
    {
        // Incident 1 owns the name; a person made the one incident 2 would take next.
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();
        var first = await TheIncident();
        _testbed.Slack.Workspace.CreateChannel("inc-2017-09-20-consumer-app-outage-2", false, Henry);

        // Slack fails both creations without an answer, so the bot looks for what it may have created. (A 500 is
        // Slack's passing trouble: the job fails, to be retried, and the incident stays declared, never Failed.)
        _testbed.Slack.Faults.Enqueue("conversations.create", Fault.ServerError(500));
        var second = await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await Assert.ThrowsAnyAsync<SlackUnavailableException>(() => _testbed.Bot.Jobs.RunAllAsync());
        _testbed.Slack.Faults.Enqueue("conversations.create", Fault.Error("name_taken"));
        _testbed.Slack.Faults.Enqueue("conversations.create", Fault.ServerError(500));
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await Assert.ThrowsAnyAsync<SlackUnavailableException>(() => _testbed.Bot.Jobs.RunAllAsync());

        var incidents = await _testbed.QueryAsync(db => db.Incidents.OrderBy(i => i.Id).ToListAsync());
        Assert.Equal([IncidentStatus.Live, IncidentStatus.Opening, IncidentStatus.Opening], incidents.Select(i => i.Status));
        Assert.Equal([first.ChannelId, null, null], incidents.Select(i => i.ChannelId));
        Assert.Contains("Slack is not answering, so its channel is not open yet", Assert.Single(_testbed.Slack.Driver.ResponsesFor(second.ResponseUrlId)).Text, StringComparison.Ordinal);
        Assert.Equal(2, _testbed.Slack.Calls.Count("conversations.list"));
    }

    [Fact]
    public async Task A_restart_before_the_channel_opened_resumes_and_announces_once()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");

        await _testbed.RestartBotAsync();
        await _testbed.SettleAsync();
        await _testbed.RestartBotAsync();
        await _testbed.SettleAsync();

        var incident = await TheIncident();
        Assert.Equal(IncidentStatus.Live, incident.Status);
        Assert.Equal(1, _testbed.Slack.Calls.Count("conversations.create"));
        Assert.Single(_testbed.Slack.Workspace.Messages(incident.ChannelId!), m => m.Text.Contains("INC-1 declared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_announcement_is_block_kit_within_slacks_limits()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start " + new string('x', 150));
        await _testbed.SettleAsync();

        var post = _testbed.Slack.Calls.Last("chat.postMessage")!;
        Assert.True(post.Ok);
        using var blocks = JsonDocument.Parse(post.Argument("blocks")!);
        Assert.Equal("header", blocks.RootElement[0].GetProperty("type").GetString());
        Assert.True(blocks.RootElement[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.Equal(80, (await TheIncident()).ChannelName!.Length);
    }

    [Fact]
    public async Task Messages_and_pins_in_the_new_channel_make_the_timeline()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();
        var channel = (await TheIncident()).ChannelId!;

        _time.Advance(TimeSpan.FromMinutes(3));
        var posted = await _testbed.Slack.Driver.PostMessageAsync(Henry, channel, "API answers 500s");
        await _testbed.Slack.Driver.AddReactionAsync(Henry, channel, posted.Ts, "pushpin");
        await _testbed.SettleAsync();

        var entries = await _testbed.TimelineAsync(1);
        Assert.Equal(["Incident declared: Consumer app outage", "API answers 500s"], entries.Select(e => e.Text));
        Assert.Equal(new DateTime(2017, 9, 20, 6, 8, 30, DateTimeKind.Utc), entries[1].OccurredAt);
    }
}
