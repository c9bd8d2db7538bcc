using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents;

/// <summary>How the timeline follows what people do to messages while the incident is live.</summary>
public sealed class TimelineCaptureTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private FakeSlackDriver Slack => Testbed.Slack.Driver;

    private async Task StartAsync()
    {
        await Slack.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
    }

    private async Task<string> SayAsync(string user, string text, string? threadTs = null)
    {
        Time.Advance(TimeSpan.FromSeconds(30));
        var posted = await Slack.PostMessageAsync(user, Ops, text, threadTs);
        Assert.Equal(200, posted.StatusCode);
        return posted.Ts;
    }

    private async Task<List<TimelineEntry>> MessageEntriesAsync()
    {
        await Testbed.SettleAsync();
        return (await Testbed.TimelineAsync(1)).Where(e => e.Kind == EntryKind.Message).ToList();
    }

    [Fact]
    public async Task A_message_delivered_again_under_another_event_id_is_kept_once_and_both_deliveries_succeed()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "db primary at 100% cpu");
        var message = SlackPayloads.MessageEvent(Ops, Ben, "db primary at 100% cpu", ts);

        var again = await Slack.SendEventAsync(message, eventId: "Ev0SECOND01");
        var retried = await Slack.SendEventAsync(message, eventId: "Ev0SECOND01", retryNum: 1, retryReason: "http_timeout");

        Assert.True(again.Delivery.Succeeded);
        Assert.True(retried.Delivery.Succeeded);
        var kept = await Testbed.QueryAsync(db => db.Messages.Where(m => m.Ts == ts).ToListAsync());
        Assert.Equal("db primary at 100% cpu", Assert.Single(kept).Text);
        Assert.Equal(1, await Testbed.QueryAsync(db => db.ProcessedEvents.CountAsync(p => p.EventId == "Ev0SECOND01")));
    }

    [Fact]
    public async Task An_edit_updates_the_kept_message_and_its_entry()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "db primary at 100% cpu");
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");

        await Slack.EditMessageAsync(Ben, Ops, ts, "db primary at 100% cpu since 06:02");

        var entry = Assert.Single(await MessageEntriesAsync());
        Assert.Equal("db primary at 100% cpu since 06:02", entry.Text);
        Assert.Equal(ts, entry.SourceTs);
        var kept = await Testbed.QueryAsync(db => db.Messages.SingleAsync(m => m.Ts == ts));
        Assert.Equal("db primary at 100% cpu since 06:02", kept.Text);
        Assert.NotNull(kept.EditedAt);
    }

    [Fact]
    public async Task A_delete_removes_the_message_and_every_entry_made_from_it()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "wrong channel, sorry");
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Slack.AddReactionAsync(Ana, Ops, ts, "bulb");

        await Slack.DeleteMessageAsync(Ben, Ops, ts);

        Assert.Empty(await MessageEntriesAsync());
        Assert.False(await Testbed.QueryAsync(db => db.Messages.AnyAsync(m => m.Ts == ts)));
        Assert.False(await Testbed.QueryAsync(db => db.EntryReactions.AnyAsync()));
    }

    [Fact]
    public async Task The_entry_stays_until_the_last_of_its_pins_is_removed()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "rolled back");
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Slack.AddReactionAsync(Ben, Ops, ts, "pushpin");
        Assert.Single(await MessageEntriesAsync());

        await Slack.RemoveReactionAsync(Ana, Ops, ts, "pushpin");
        var afterOne = await MessageEntriesAsync();
        await Slack.RemoveReactionAsync(Ben, Ops, ts, "pushpin");
        var afterBoth = await MessageEntriesAsync();

        Assert.Single(afterOne);
        Assert.Empty(afterBoth);
    }

    [Fact]
    public async Task One_message_can_sit_in_several_sections_and_leaves_each_on_its_own()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "rebuilt the search index");
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Slack.AddReactionAsync(Ana, Ops, ts, "hammer_and_wrench");
        await Slack.AddReactionAsync(Ben, Ops, ts, "eyes");

        await Slack.RemoveReactionAsync(Ana, Ops, ts, "pushpin");

        var entry = Assert.Single(await MessageEntriesAsync());
        Assert.Equal(TimelineSection.StabilizationSteps, entry.Section);
    }

    [Fact]
    public async Task A_skin_tone_variant_counts_as_its_emoji()
    {
        await StartAsync();
        var ts = await SayAsync(Ben, "customers notified");

        await Slack.AddReactionAsync(Ana, Ops, ts, "white_check_mark::skin-tone-3");

        Assert.Equal(TimelineSection.CorrectiveActions, Assert.Single(await MessageEntriesAsync()).Section);
    }

    [Fact]
    public async Task A_thread_reply_the_bot_never_saw_is_fetched_from_its_thread()
    {
        var parent = await SayAsync(Ben, "deploy thread");
        var reply = await SayAsync(Ben, "deploying 4.2 now", threadTs: parent);
        await StartAsync();

        await Slack.AddReactionAsync(Ana, Ops, reply, "pushpin");

        var entry = Assert.Single(await MessageEntriesAsync());
        Assert.Equal(("deploying 4.2 now", Ben, false), (entry.Text, entry.AuthorUserId, entry.Pending));
        Assert.Equal(Payloads(reply), entry.OccurredAt);
        Assert.Equal(1, Testbed.Slack.Calls.Count("conversations.replies"));
    }

    [Fact]
    public async Task A_message_deleted_before_its_text_was_fetched_leaves_no_entry()
    {
        var old = await SayAsync(Ben, "an old message");
        await StartAsync();
        await Slack.AddReactionAsync(Ana, Ops, old, "pushpin");
        Testbed.Slack.Workspace.DeleteMessage(Ops, old);

        Assert.Empty(await MessageEntriesAsync());
    }

    [Fact]
    public async Task A_pending_fetch_that_slack_refuses_is_retried_not_lost()
    {
        var old = await SayAsync(Ben, "an old message");
        await StartAsync();
        await Slack.AddReactionAsync(Ana, Ops, old, "pushpin");
        // Not a retryable answer for the client (the bot was briefly out of the channel, say): the job itself fails.
        Testbed.Slack.Faults.Enqueue("conversations.history", IncidentBot.SlackFake.Faults.Fault.Error("not_in_channel"));

        // The first attempt fails (Hangfire would retry it); the entry stays, pending, and a restart resumes it.
        await Assert.ThrowsAnyAsync<Exception>(() => Testbed.Bot.Jobs.RunAllAsync());
        var pending = Assert.Single(await Testbed.TimelineAsync(1), e => e.Kind == EntryKind.Message);
        Assert.True(pending.Pending);
        await Testbed.RestartBotAsync();

        var entry = Assert.Single(await MessageEntriesAsync());
        Assert.Equal(("an old message", false), (entry.Text, entry.Pending));
    }

    [Fact]
    public async Task Reactions_the_bot_does_not_map_and_reactions_outside_the_incident_record_nothing()
    {
        var random = Testbed.Slack.Workspace.CreateChannel("random", false, Ana, Testbed.Slack.Options.BotUserId).Id;
        await StartAsync();
        var here = await SayAsync(Ben, "lunch?");
        var there = (await Slack.PostMessageAsync(Ana, random, "elsewhere")).Ts;

        await Slack.AddReactionAsync(Ana, Ops, here, "tada");
        await Slack.AddReactionAsync(Ana, random, there, "pushpin");

        Assert.Empty(await MessageEntriesAsync());
        Assert.False(await Testbed.QueryAsync(db => db.Messages.AnyAsync(m => m.ChannelId == random)));
    }

    [Fact]
    public async Task After_close_the_channel_is_no_longer_recorded()
    {
        await StartAsync();
        await Slack.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        var ts = await SayAsync(Ben, "post-incident chatter");

        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");

        Assert.Empty(await MessageEntriesAsync());
        Assert.False(await Testbed.QueryAsync(db => db.Messages.AnyAsync(m => m.Ts == ts)));
    }

    [Fact]
    public async Task The_bots_own_posts_are_not_timeline_material()
    {
        await StartAsync();
        await Slack.SendSlashCommandAsync(Ana, Ops, "/incident", "note cache warmed");
        await Testbed.SettleAsync();

        var echo = Testbed.Slack.Workspace.Messages(Ops).Single(m => m.Text.Contains("cache warmed", StringComparison.Ordinal));
        Assert.False(await Testbed.QueryAsync(db => db.Messages.AnyAsync(m => m.Ts == echo.Ts)));
    }

    private static DateTime Payloads(string ts) => IncidentBot.Slack.Payloads.SlackTs.Parse(ts).ToDateTimeOffset().UtcDateTime;
}
