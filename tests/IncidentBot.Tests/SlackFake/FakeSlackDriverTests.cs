using System.Net;
using System.Text.Json;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Tests.SlackFake;

public sealed class FakeSlackDriverTests : RecordingBotTestBase
{
    [Fact]
    public async Task Slash_commands_are_signed_forms_with_slack_fields()
    {
        var channel = ChannelWithBot("inc-9");
        Bot.Reply = _ => new BotReply(Body: "{\"response_type\":\"ephemeral\",\"text\":\"On it\"}", ContentType: "application/json");

        var result = await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "declare DB down");

        var request = Assert.Single(Bot.Requests);
        Assert.Equal("slack/commands", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        var timestamp = request.Header("X-Slack-Request-Timestamp")!;
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(Slack.Driver.Signer.Sign(request.Body, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)), request.Header("X-Slack-Signature"));
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("/incident", form["command"].ToString());
        Assert.Equal("declare DB down", form["text"].ToString());
        Assert.Equal("inc-9", form["channel_name"].ToString());
        Assert.Equal("alice", form["user_name"].ToString());
        Assert.Equal(result.TriggerId, form["trigger_id"].ToString());
        Assert.Matches(@"^\d+\.\d+\.[0-9a-f]+$", result.TriggerId);
        Assert.Equal(result.ResponseUrl.ToString(), form["response_url"].ToString());
        Assert.Equal("On it", result.Json!.Value.Str("text"));
    }

    [Fact]
    public async Task Private_channel_names_are_hidden_from_slash_commands()
    {
        var channel = Slack.Workspace.CreateChannel("secret-room", true, Alice).Id;

        await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "");

        Assert.Equal("privategroup", QueryHelpers.ParseQuery(Assert.Single(Bot.Requests).Body)["channel_name"].ToString());
    }

    [Fact]
    public async Task Response_url_allows_five_uses_then_refuses()
    {
        var channel = ChannelWithBot();
        var command = await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "status");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.PostAsync(command.ResponseUrl, new StringContent($"{{\"text\":\"update {i}\",\"response_type\":\"ephemeral\"}}", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.NotFound), statuses);
        Assert.Equal(5, Slack.Driver.ResponsesFor(command.ResponseUrlId).Count(r => r.Accepted));
        Assert.Equal("used_url", Slack.Driver.ResponsesFor(command.ResponseUrlId)[^1].Error);
    }

    [Fact]
    public async Task Response_url_expires_after_30_minutes()
    {
        var channel = ChannelWithBot();
        var command = await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "status");
        Clock.Advance(TimeSpan.FromMinutes(31));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await http.PostAsync(command.ResponseUrl, new StringContent("{\"text\":\"late\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("expired_url", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_channel_responses_become_channel_messages()
    {
        var channel = ChannelWithBot();
        var command = await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "declare");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await http.PostAsync(command.ResponseUrl, new StringContent("{\"text\":\"Incident declared\",\"response_type\":\"in_channel\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Incident declared", Assert.Single(Slack.Workspace.Messages(channel)).Text);
    }

    [Fact]
    public async Task Events_arrive_in_the_event_callback_envelope()
    {
        var result = await Slack.Driver.SendEventAsync(new { type = "app_mention", user = Alice, text = "hi", channel = "C0000000001", ts = "1.000001", event_ts = "1.000001" });

        var request = Assert.Single(Bot.Requests);
        using var envelope = JsonDocument.Parse(request.Body);
        var root = envelope.RootElement;
        Assert.Equal("event_callback", root.Str("type"));
        Assert.Equal(result.EventId, root.Str("event_id"));
        Assert.StartsWith("Ev", result.EventId);
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds(), root.GetProperty("event_time").GetInt64());
        Assert.Equal(Slack.Options.BotUserId, root.GetProperty("authorizations")[0].Str("user_id"));
        Assert.Equal("app_mention", root.GetProperty("event").Str("type"));
        Assert.Equal("application/json", request.ContentType);
        Assert.Null(request.Header("X-Slack-Retry-Num"));
    }

    [Fact]
    public async Task Failed_event_deliveries_are_retried_three_times_with_retry_headers()
    {
        Bot.Reply = _ => new BotReply(Status: 500);

        var result = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Equal(4, Bot.Requests.Count);
        Assert.Equal(["1", "2", "3"], Bot.Requests.Skip(1).Select(r => r.Header("X-Slack-Retry-Num")));
        Assert.All(Bot.Requests.Skip(1), r => Assert.Equal("http_error", r.Header("X-Slack-Retry-Reason")));
        Assert.False(result.Delivery.Succeeded);
        Assert.Single(Bot.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("event_id")).Distinct());
    }

    [Fact]
    public async Task A_slow_reply_counts_as_a_timeout_and_is_retried()
    {
        var calls = 0;
        Bot.Reply = _ => Interlocked.Increment(ref calls) == 1 ? new BotReply(Delay: TimeSpan.FromSeconds(4)) : new BotReply();

        var result = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Equal("http_timeout", result.Delivery.Attempts[0].FailureReason);
        Assert.Equal("http_timeout", result.Delivery.Attempts[1].RetryReason);
        Assert.True(result.Delivery.Succeeded);
    }

    [Fact]
    public async Task No_retry_header_stops_redelivery()
    {
        Bot.Reply = _ => new BotReply(Status: 503, NoRetry: true);

        var result = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Single(Bot.Requests);
        Assert.Single(result.Delivery.Attempts);
    }

    [Fact]
    public async Task Url_verification_accepts_the_plain_text_challenge()
    {
        Bot.Reply = r => new BotReply(Body: JsonDocument.Parse(r.Body).RootElement.Str("challenge"));

        var result = await Slack.Driver.SendUrlVerificationAsync("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        Assert.True(result.ChallengeAccepted);
    }

    [Fact]
    public async Task Interactions_are_a_signed_payload_form_field()
    {
        var triggerId = Slack.Driver.IssueTriggerId(Alice);

        await Slack.Driver.SendInteractionAsync(new { type = "block_actions", trigger_id = triggerId });

        var request = Assert.Single(Bot.Requests);
        Assert.Equal("slack/interactions", request.Path);
        using var payload = JsonDocument.Parse(QueryHelpers.ParseQuery(request.Body)["payload"].ToString());
        Assert.Equal("block_actions", payload.RootElement.Str("type"));
    }

    [Fact]
    public async Task Raw_requests_can_be_stale_or_unsigned()
    {
        await Slack.Driver.SendRawAsync("slack/events", "{}", "application/json", signed: true, timestamp: 1531420618);
        await Slack.Driver.SendRawAsync("slack/events", "{}", "application/json", signed: false);

        Assert.Equal("1531420618", Bot.Requests[0].Header("X-Slack-Request-Timestamp"));
        Assert.Null(Bot.Requests[1].Header("X-Slack-Signature"));
    }

    [Fact]
    public async Task A_human_message_is_stored_and_sent_as_slack_shapes_it()
    {
        var channel = ChannelWithBot();

        var result = await Slack.Driver.PostMessageAsync(Alice, channel, "db is on fire");

        var inner = JsonDocument.Parse(Assert.Single(Bot.Requests).Body).RootElement.GetProperty("event");
        Assert.Equal("message", inner.Str("type"));
        Assert.Equal(result.Ts, inner.Str("ts"));
        Assert.Equal(result.Ts, inner.Str("event_ts"));
        Assert.Equal("channel", inner.Str("channel_type"));
        Assert.Equal(Alice, inner.Str("user"));
        Assert.Equal("rich_text", inner.GetProperty("blocks")[0].Str("type"));
        Assert.False(inner.TryGetProperty("subtype", out _));
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)result.StatusCode!);
        Assert.Equal("db is on fire", Slack.Workspace.GetMessage(channel, result.Ts).Text);
    }

    [Fact]
    public async Task Mentioning_the_bot_also_sends_app_mention()
    {
        var channel = ChannelWithBot();

        await Slack.Driver.PostMessageAsync(Alice, channel, $"<@{Slack.Options.BotUserId}> help");

        Assert.Equal(["message", "app_mention"], Bot.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event").Str("type")));
    }

    [Fact]
    public async Task Events_of_channels_without_the_bot_are_not_delivered()
    {
        var channel = Slack.Workspace.CreateChannel("no-bot", false, Alice).Id;

        var result = await Slack.Driver.PostMessageAsync(Alice, channel, "hello?");

        Assert.Empty(result.Deliveries);
        Assert.Empty(Bot.Requests);
    }

    [Fact]
    public async Task Edits_and_deletes_send_message_changed_and_message_deleted()
    {
        var channel = ChannelWithBot();
        var posted = await Slack.Driver.PostMessageAsync(Alice, channel, "v1");

        await Slack.Driver.EditMessageAsync(Alice, channel, posted.Ts, "v2");
        await Slack.Driver.DeleteMessageAsync(Alice, channel, posted.Ts);

        var changed = JsonDocument.Parse(Bot.Requests[1].Body).RootElement.GetProperty("event");
        var deleted = JsonDocument.Parse(Bot.Requests[2].Body).RootElement.GetProperty("event");
        Assert.Equal("message_changed", changed.Str("subtype"));
        Assert.Equal("v2", changed.GetProperty("message").Str("text"));
        Assert.Equal(posted.Ts, changed.GetProperty("message").Str("ts"));
        Assert.Equal("v1", changed.GetProperty("previous_message").Str("text"));
        Assert.Equal("message_deleted", deleted.Str("subtype"));
        Assert.Equal(posted.Ts, deleted.Str("deleted_ts"));
        Assert.Null(Slack.Workspace.FindMessage(channel, posted.Ts));
    }

    [Fact]
    public async Task Reactions_send_reaction_added_with_the_item()
    {
        var channel = ChannelWithBot();
        var posted = Slack.Workspace.PostMessage(Alice, channel, "x");

        await Slack.Driver.AddReactionAsync(Alice, channel, posted.Ts, "rotating_light");

        var inner = JsonDocument.Parse(Assert.Single(Bot.Requests).Body).RootElement.GetProperty("event");
        Assert.Equal("reaction_added", inner.Str("type"));
        Assert.Equal("rotating_light", inner.Str("reaction"));
        Assert.Equal(Alice, inner.Str("item_user"));
        Assert.Equal(posted.Ts, inner.GetProperty("item").Str("ts"));
    }

    [Fact]
    public async Task Joining_sends_member_joined_channel_and_a_channel_join_message()
    {
        var channel = ChannelWithBot();

        await Slack.Driver.JoinChannelAsync(Bob, channel, inviterId: Alice);

        var events = Bot.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event")).ToList();
        Assert.Equal("member_joined_channel", events[0].Str("type"));
        Assert.Equal("C", events[0].Str("channel_type"));
        Assert.Equal(Alice, events[0].Str("inviter"));
        Assert.Equal("channel_join", events[1].Str("subtype"));
    }

    [Fact]
    public async Task The_bots_own_post_is_echoed_as_a_message_event_with_bot_id()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "from the bot" });
        await Slack.WhenIdleAsync();

        var inner = JsonDocument.Parse(Assert.Single(Bot.Requests).Body).RootElement.GetProperty("event");
        Assert.Equal(reply.Str("ts"), inner.Str("ts"));
        Assert.Equal(Slack.Options.BotId, inner.Str("bot_id"));
        Assert.Equal(Slack.Options.BotUserId, inner.Str("user"));
        Assert.False(inner.TryGetProperty("subtype", out _));
    }

    [Fact]
    public async Task The_bots_own_reaction_is_echoed_as_reaction_added()
    {
        var channel = ChannelWithBot();
        var posted = Slack.Workspace.PostMessage(Alice, channel, "x");

        await Api.JsonAsync("reactions.add", new { channel, timestamp = posted.Ts, name = "eyes" });
        await Slack.WhenIdleAsync();

        var inner = JsonDocument.Parse(Assert.Single(Bot.Requests).Body).RootElement.GetProperty("event");
        Assert.Equal("reaction_added", inner.Str("type"));
        Assert.Equal(Slack.Options.BotUserId, inner.Str("user"));
    }
}
