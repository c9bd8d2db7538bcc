using System.Globalization;
using System.Text.Json.Nodes;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Review;
using IncidentBot.SlackFake.Faults;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.WebApi;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Slack.WebApi;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Incidents;

/// <summary>Capture you can see: the bot's own reaction (Incidents:CaptureReaction, eyes) marks a message while it is on the record.</summary>
public sealed class CaptureAcknowledgementTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private FakeSlackDriver Slack => Testbed.Slack.Driver;

    private string Bot => Testbed.Slack.Options.BotUserId;

    private async Task<string> StartAndSayAsync(string text)
    {
        await Slack.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        return (await Slack.PostMessageAsync(Ben, Ops, text)).Ts;
    }

    /// <summary>Who reacted with :eyes: on the message, as Slack shows it.</summary>
    private async Task<IReadOnlyList<string>> EyesOnAsync(string channel, string ts)
    {
        await Testbed.SettleAsync();
        var message = Testbed.Slack.Workspace.FindMessage(channel, ts) ?? throw new InvalidOperationException($"No message {ts}.");
        return message.Reactions.FirstOrDefault(r => r.Name == "eyes")?.Users ?? [];
    }

    [Fact]
    public async Task The_bot_reacts_when_a_message_is_pinned_and_takes_it_back_when_the_last_pin_goes()
    {
        var ts = await StartAndSayAsync("db primary at 100% cpu");

        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        var whilePinned = await EyesOnAsync(Ops, ts);
        await Slack.RemoveReactionAsync(Ana, Ops, ts, "pushpin");
        var afterUnpin = await EyesOnAsync(Ops, ts);

        Assert.Equal([Bot], whilePinned);
        Assert.Empty(afterUnpin);
    }

    [Fact]
    public async Task Two_people_pinning_one_message_get_one_acknowledgement_and_it_stays_while_one_pin_is_left()
    {
        var ts = await StartAndSayAsync("rolled back");

        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Slack.AddReactionAsync(Ben, Ops, ts, "pushpin");
        var pinned = await EyesOnAsync(Ops, ts);
        await Slack.RemoveReactionAsync(Ana, Ops, ts, "pushpin");

        Assert.Equal([Bot], pinned);
        Assert.Equal([Bot], await EyesOnAsync(Ops, ts));
        Assert.Single(Testbed.Slack.Calls.For("reactions.add"), c => c.Ok == true);
        Assert.Empty(Testbed.Slack.Calls.For("reactions.remove"));
    }

    [Fact]
    public async Task Any_section_emoji_is_acknowledged_and_the_acknowledgement_stays_while_the_message_is_in_another_section()
    {
        var ts = await StartAndSayAsync("rebuilt the search index");

        await Slack.AddReactionAsync(Ana, Ops, ts, "hammer_and_wrench");
        await Slack.AddReactionAsync(Ana, Ops, ts, "bulb");
        await Slack.RemoveReactionAsync(Ana, Ops, ts, "bulb");
        var inOne = await EyesOnAsync(Ops, ts);
        await Slack.RemoveReactionAsync(Ana, Ops, ts, "hammer_and_wrench");

        Assert.Equal([Bot], inOne);
        Assert.Empty(await EyesOnAsync(Ops, ts));
    }

    [Fact]
    public async Task A_burst_of_pins_on_many_messages_shows_each_capture_once_and_leaves_nothing_asked()
    {
        await StartAndSayAsync("first");
        var said = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            said.Add((await Slack.PostMessageAsync(Ben, Ops, $"update {i}")).Ts);
        }

        // Everyone at once, two people on each message: one ask per message, drained together.
        await Task.WhenAll(said.SelectMany(ts => new[] { Slack.AddReactionAsync(Ana, Ops, ts, "pushpin"), Slack.AddReactionAsync(Ben, Ops, ts, "pushpin") }));
        await Testbed.SettleAsync();

        foreach (var ts in said)
        {
            Assert.Equal([Bot], await EyesOnAsync(Ops, ts));
        }

        Assert.Equal(30, Testbed.Slack.Calls.For("reactions.add").Count(c => c.Ok == true));
        Assert.Equal(30, (await Testbed.TimelineAsync(1)).Count(e => e.Kind == EntryKind.Message));
        Assert.Equal(0, await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [Fact]
    public async Task A_burst_of_pins_past_slacks_allowance_for_reactions_shows_every_capture_at_slacks_pace_without_a_storm_of_refusals()
    {
        // Slack's tiers on: reactions.add takes 50 at once, then one every 1.2 s (slack-protocol.md §7.1).
        Testbed.Slack.Options.MethodRateLimits = MethodRateLimit.Slack;
        await StartAndSayAsync("first");
        var said = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            said.Add((await Slack.PostMessageAsync(Ben, Ops, $"update {i}")).Ts);
        }

        await Task.WhenAll(said.Select(ts => Slack.AddReactionAsync(Ana, Ops, ts, "pushpin")));
        await Time.AdvanceUntilDoneAsync(Testbed.SettleAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        // Every capture shown, each once; each refusal was waited out (Retry-After) before the next call, so Slack refused
        // at most one call for each it took past its allowance.
        Assert.All(said, ts => Assert.Equal([Bot], Testbed.Slack.Workspace.FindMessage(Ops, ts)!.Reactions.Single(r => r.Name == "eyes").Users));
        var calls = Testbed.Slack.Calls.For("reactions.add");
        Assert.Equal(80, calls.Count(c => c.Ok == true));
        Assert.InRange(calls.Count(c => c.StatusCode == 429), 1, 80 - 50);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [Fact]
    public async Task A_capture_slack_could_not_show_stays_asked_for_and_the_sweep_shows_it_once_slack_is_back()
    {
        var ts = await StartAndSayAsync("db primary at 100% cpu");
        Testbed.Slack.Faults.SetPersistent("reactions.add", Fault.ServerError(503));

        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Testbed.Slack.WhenIdleAsync();
        await Assert.ThrowsAsync<SlackUnavailableException>(() => Testbed.Bot.Jobs.RunAllAsync());
        var whileDown = Testbed.Slack.Workspace.FindMessage(Ops, ts)!.Reactions.Where(r => r.Name == "eyes").ToList();
        var asked = await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync());

        Testbed.Slack.Faults.Clear("reactions.add");
        Time.Advance(TimeSpan.FromMinutes(2));
        await using (var scope = Testbed.Bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<SweepUnfinishedWorkJob>(scope.ServiceProvider).RunAsync(afterStart: false, CancellationToken.None);
        }

        Assert.Empty(whileDown);
        Assert.Equal(1, asked);
        Assert.Single(await Testbed.TimelineAsync(1), e => e.Kind == EntryKind.Message);
        Assert.Equal([Bot], await EyesOnAsync(Ops, ts));
        Assert.Equal(0, await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [Fact]
    public async Task A_drain_slack_stops_part_way_forgets_only_what_it_showed_and_the_sweep_shows_the_rest_once()
    {
        var first = await StartAndSayAsync("db primary at 100% cpu");
        var second = (await Slack.PostMessageAsync(Ben, Ops, "failing over")).Ts;
        var third = (await Slack.PostMessageAsync(Ben, Ops, "failover done")).Ts;
        foreach (var ts in new[] { first, second, third })
        {
            // A second apart, so the drain takes them in this order.
            await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        await Testbed.Slack.WhenIdleAsync();
        // The first reaction goes through; then Slack is down for longer than the client retries.
        Testbed.Slack.Faults.Enqueue("reactions.add", [Fault.Slow(TimeSpan.Zero), .. Fault.ServerError(503).Times(50)]);
        await Assert.ThrowsAsync<SlackUnavailableException>(() => Testbed.Bot.Jobs.RunAllAsync());
        var stillAsked = await Testbed.QueryAsync(db => db.CaptureAcknowledgements.OrderBy(a => a.Ts).Select(a => a.Ts).ToListAsync());

        Testbed.Slack.Faults.Clear("reactions.add");
        Time.Advance(TimeSpan.FromMinutes(2));
        await using (var scope = Testbed.Bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<SweepUnfinishedWorkJob>(scope.ServiceProvider).RunAsync(afterStart: false, CancellationToken.None);
        }

        Assert.Equal([second, third], stillAsked);
        foreach (var ts in new[] { first, second, third })
        {
            Assert.Equal([Bot], await EyesOnAsync(Ops, ts));
        }

        // Each message's reaction set once: the first was not asked for again (Slack would have answered already_reacted).
        var calls = Testbed.Slack.Calls.For("reactions.add");
        Assert.Equal(3, calls.Count(c => c.Ok == true));
        Assert.DoesNotContain(calls, c => c.Error == "already_reacted");
        Assert.Equal(0, await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [Fact]
    public async Task A_message_unpinned_while_its_capture_is_being_shown_ends_without_it()
    {
        var ts = await StartAndSayAsync("db primary at 100% cpu");
        Testbed.Slack.Faults.Enqueue("reactions.add", Fault.Slow(TimeSpan.FromMilliseconds(600)));
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");

        // The drain has read the ask and is adding the reaction when the unpin asks again.
        var drain = Testbed.Bot.Jobs.RunOnlyAsync<AcknowledgeCaptureJob>();
        await Task.Delay(TimeSpan.FromMilliseconds(150));
        await Slack.RemoveReactionAsync(Ana, Ops, ts, "pushpin");
        await drain;

        Assert.Empty(await EyesOnAsync(Ops, ts));
        Assert.Single(Testbed.Slack.Calls.For("reactions.remove"), c => c.Ok == true);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [Fact]
    public async Task A_message_removed_in_review_is_still_recorded_and_keeps_its_acknowledgement()
    {
        var ts = await StartAndSayAsync("db primary at 100% cpu");
        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Testbed.SettleAsync();
        await Slack.SendSlashCommandAsync(Ana, Ops, "/incident", "timeline");
        var entryId = await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.SourceTs == ts).Select(e => e.Id).SingleAsync());
        var id = entryId.ToString(CultureInfo.InvariantCulture);

        await ReviewModal.Of(Testbed, Ana).SendButtonAsync(ReviewIds.Remove, $"entry-{id}-actions", id);

        Assert.True(await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Id == entryId).Select(e => e.Removed).SingleAsync()));
        Assert.Equal([Bot], await EyesOnAsync(Ops, ts));
    }

    [Fact]
    public async Task A_message_outside_an_incident_channel_gets_no_acknowledgement()
    {
        var random = Testbed.Slack.Workspace.CreateChannel("random", false, Ana, Bot).Id;
        await StartAndSayAsync("in the incident");
        var there = (await Slack.PostMessageAsync(Ana, random, "elsewhere")).Ts;

        await Slack.AddReactionAsync(Ana, random, there, "pushpin");

        Assert.Empty(await EyesOnAsync(random, there));
        Assert.Empty(Testbed.Slack.Calls.For("reactions.add"));
    }

    [Fact]
    public async Task The_bots_own_reaction_events_never_make_an_entry()
    {
        var ts = await StartAndSayAsync("db primary at 100% cpu");
        var own = new JsonObject
        {
            ["type"] = "reaction_added",
            ["user"] = Bot,
            ["reaction"] = "pushpin",
            ["item_user"] = Ben,
            ["item"] = new JsonObject { ["type"] = "message", ["channel"] = Ops, ["ts"] = ts },
            ["event_ts"] = ts,
        };

        var delivered = await Slack.SendEventAsync(own);
        await Testbed.SettleAsync();

        Assert.True(delivered.Delivery.Succeeded);
        Assert.DoesNotContain(await Testbed.TimelineAsync(1), e => e.Kind == EntryKind.Message);
        Assert.Empty(await EyesOnAsync(Ops, ts));
    }

    [Fact]
    public async Task With_no_capture_reaction_configured_the_bot_adds_none()
    {
        await Testbed.DisposeAsync();
        Testbed = await SlackTestbed.StartInChannelAsync(Time, "ops", [Ana, Ben], options =>
        {
            options.Settings["Incidents:CaptureReaction"] = "";
            return options;
        });
        Ops = Testbed.ChannelId("ops");
        var ts = await StartAndSayAsync("db primary at 100% cpu");

        await Slack.AddReactionAsync(Ana, Ops, ts, "pushpin");
        await Testbed.SettleAsync();

        Assert.Single(await Testbed.TimelineAsync(1), e => e.Kind == EntryKind.Message);
        Assert.Empty(Testbed.Slack.Calls.For("reactions.add"));
    }
}
