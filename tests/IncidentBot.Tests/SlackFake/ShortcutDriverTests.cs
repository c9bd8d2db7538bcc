using System.Text.Json;
using IncidentBot.SlackFake;
using static IncidentBot.Tests.SlackFake.ModalDriverTests;
using static IncidentBot.Tests.SlackFake.ViewsApiTests;

namespace IncidentBot.Tests.SlackFake;

/// <summary>Shortcuts as a person runs them: the <c>shortcut</c> and <c>message_action</c> payloads, and their trigger_ids.</summary>
public sealed class ShortcutDriverTests : RecordingBotTestBase
{
    [Fact]
    public async Task A_global_shortcut_sends_shortcut_with_a_trigger_that_opens_a_modal_within_3_seconds()
    {
        var result = await Slack.Driver.RunGlobalShortcutAsync(Alice, "declare_incident");

        var payload = Payload(Assert.Single(Bot.Requests));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("shortcut", payload.Str("type"));
        Assert.Equal("declare_incident", payload.Str("callback_id"));
        Assert.Equal(result.TriggerId, payload.Str("trigger_id"));
        Assert.Equal(Slack.Options.VerificationToken, payload.Str("token"));
        Assert.Matches(@"^\d+\.\d{6}$", payload.Str("action_ts"));
        Assert.Equal((Slack.Options.TeamId, Slack.Options.TeamDomain), (payload.GetProperty("team").Str("id"), payload.GetProperty("team").Str("domain")));
        var user = payload.GetProperty("user");
        Assert.Equal((Alice, "alice", Slack.Options.TeamId), (user.Str("id"), user.Str("username"), user.Str("team_id")));
        Assert.False(payload.GetProperty("is_enterprise_install").GetBoolean());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("enterprise").ValueKind);
        Assert.False(payload.TryGetProperty("response_url", out _));
        Assert.False(payload.TryGetProperty("channel", out _));
        Assert.Null(result.ResponseUrl);
        Clock.Advance(TimeSpan.FromSeconds(2.5));
        (await Api.JsonAsync("views.open", new { trigger_id = result.TriggerId, view = Modal([TextInput("title")]) })).AssertOk();
    }

    [Fact]
    public async Task A_shortcuts_trigger_expires_after_3_seconds()
    {
        var result = await Slack.Driver.RunGlobalShortcutAsync(Alice, "declare_incident");
        Clock.Advance(TimeSpan.FromSeconds(3.5));

        var opened = await Api.JsonAsync("views.open", new { trigger_id = result.TriggerId, view = Modal([TextInput("title")]) });

        opened.AssertError("expired_trigger_id");
    }

    [Fact]
    public async Task A_message_shortcut_sends_message_action_with_the_message_its_channel_and_a_response_url()
    {
        var channel = ChannelWithBot();
        var posted = await Slack.Driver.PostMessageAsync(Alice, channel, "db is down");
        var before = Bot.Requests.Count;

        var result = await Slack.Driver.RunMessageShortcutAsync(Alice, channel, posted.Ts, "add_to_timeline");

        var payload = Payload(Bot.Requests.Skip(before).Single());
        Assert.Equal("message_action", payload.Str("type"));
        Assert.Equal("add_to_timeline", payload.Str("callback_id"));
        Assert.Equal(result.TriggerId, payload.Str("trigger_id"));
        Assert.Equal(result.ResponseUrl!.ToString(), payload.Str("response_url"));
        Assert.Equal(posted.Ts, payload.Str("message_ts"));
        var message = payload.GetProperty("message");
        Assert.Equal(("message", Alice, posted.Ts, "db is down"), (message.Str("type"), message.Str("user"), message.Str("ts"), message.Str("text")));
        Assert.Equal((channel, "inc-1-db"), (payload.GetProperty("channel").Str("id"), payload.GetProperty("channel").Str("name")));
        Assert.Equal(Alice, payload.GetProperty("user").Str("id"));
        Assert.Equal(Slack.Options.TeamId, payload.GetProperty("team").Str("id"));
        Assert.Equal(Slack.Options.VerificationToken, payload.Str("token"));
        Assert.Matches(@"^\d+\.\d{6}$", payload.Str("action_ts"));
        (await Api.JsonAsync("views.open", new { trigger_id = result.TriggerId, view = Modal([TextInput("title")]) })).AssertOk();
    }

    [Fact]
    public async Task A_message_shortcut_is_offered_only_in_a_channel_the_person_is_in()
    {
        var channel = ChannelWithBot();
        var posted = await Slack.Driver.PostMessageAsync(Alice, channel, "db is down");

        var refused = await Assert.ThrowsAsync<FakeSlackException>(() => Slack.Driver.RunMessageShortcutAsync(Bob, channel, posted.Ts, "add_to_timeline"));

        Assert.Equal("not_in_channel", refused.Error);
        Assert.DoesNotContain(Bot.Requests, r => r.Path == "slack/interactions");
    }

    [Fact]
    public async Task With_shortcuts_listed_only_those_run_and_only_as_their_type()
    {
        Slack.Options.Shortcuts = [new AppShortcut("declare_incident", "Declare incident", ShortcutType.Global), new AppShortcut("add_to_timeline", "Add to incident timeline", ShortcutType.Message)];
        var channel = ChannelWithBot();
        var posted = await Slack.Driver.PostMessageAsync(Alice, channel, "db is down");

        var global = await Slack.Driver.RunGlobalShortcutAsync(Alice, "declare_incident");
        var wrongType = await Assert.ThrowsAsync<FakeSlackException>(() => Slack.Driver.RunGlobalShortcutAsync(Alice, "add_to_timeline"));
        var unknown = await Assert.ThrowsAsync<FakeSlackException>(() => Slack.Driver.RunMessageShortcutAsync(Alice, channel, posted.Ts, "declare_incident"));

        Assert.Equal(200, global.StatusCode);
        Assert.Equal("shortcut_not_found", wrongType.Error);
        Assert.Equal("shortcut_not_found", unknown.Error);
    }
}
