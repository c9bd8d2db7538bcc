namespace IncidentBot.Tests.SlackFake;

public sealed class ChatApiTests : FakeSlackTestBase
{
    [Fact]
    public async Task Post_message_stores_a_bot_message_without_subtype()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "Incident declared" });

        reply.AssertOk();
        Assert.Equal(channel, reply.Str("channel"));
        var message = reply.GetProperty("message");
        Assert.Equal(reply.Str("ts"), message.Str("ts"));
        Assert.Equal(Slack.Options.BotUserId, message.Str("user"));
        Assert.Equal(Slack.Options.BotId, message.Str("bot_id"));
        Assert.False(message.TryGetProperty("subtype", out _));
        var stored = Slack.Workspace.GetMessage(channel, reply.Str("ts"));
        Assert.Equal("Incident declared", stored.Text);
        Assert.True(stored.IsFromBot);
    }

    [Fact]
    public async Task Post_message_accepts_a_channel_name_with_or_without_hash()
    {
        var channel = ChannelWithBot("inc-7-cache");

        var withHash = await Api.JsonAsync("chat.postMessage", new { channel = "#inc-7-cache", text = "a" });
        var withoutHash = await Api.JsonAsync("chat.postMessage", new { channel = "inc-7-cache", text = "b" });

        Assert.Equal(channel, withHash.Str("channel"));
        Assert.Equal(channel, withoutHash.Str("channel"));
    }

    [Fact]
    public async Task Post_message_without_text_or_blocks_is_no_text()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel });

        reply.AssertError("no_text");
    }

    [Fact]
    public async Task Post_message_needs_the_bot_in_the_channel()
    {
        var channel = Slack.Workspace.CreateChannel("elsewhere", false, Alice).Id;

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "hi" });

        reply.AssertError("not_in_channel");
    }

    [Fact]
    public async Task Private_channels_the_bot_is_not_in_do_not_exist_for_it()
    {
        var channel = Slack.Workspace.CreateChannel("hidden", true, Alice).Id;

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "hi" });

        reply.AssertError("channel_not_found");
    }

    [Fact]
    public async Task Post_message_in_an_archived_channel_is_is_archived()
    {
        var channel = ChannelWithBot();
        Slack.Workspace.ArchiveChannel(channel);

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "hi" });

        reply.AssertError("is_archived");
    }

    [Fact]
    public async Task More_than_50_blocks_is_invalid_blocks_with_a_json_pointer()
    {
        var channel = ChannelWithBot();
        var blocks = Enumerable.Range(0, 51).Select(_ => new { type = "divider" }).ToArray();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", blocks });

        reply.AssertError("invalid_blocks");
        Assert.Equal(
            "[ERROR] no more than 50 items allowed [json-pointer:/blocks]",
            reply.GetProperty("response_metadata").GetProperty("messages")[0].GetString());
    }

    [Fact]
    public async Task Section_text_over_3000_characters_is_invalid_blocks()
    {
        var channel = ChannelWithBot();
        var blocks = new object[]
        {
            new { type = "divider" },
            new { type = "section", text = new { type = "mrkdwn", text = new string('a', 3001) } },
        };

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", blocks });

        reply.AssertError("invalid_blocks");
        Assert.Equal(
            "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]",
            reply.GetProperty("response_metadata").GetProperty("messages")[0].GetString());
    }

    [Fact]
    public async Task Confirm_dialogs_and_message_elements_are_held_to_block_kits_limits()
    {
        var channel = ChannelWithBot();
        var confirm = new { title = new { type = "plain_text", text = new string('t', 101) }, text = new { type = "mrkdwn", text = new string('x', 301) }, confirm = new { type = "mrkdwn", text = "Yes" } };
        var options = Enumerable.Range(0, 6).Select(i => new { text = new { type = "plain_text", text = $"o{i}" }, value = $"v{i}" }).ToArray();
        var blocks = new object[]
        {
            new { type = "actions", block_id = "card", elements = new object[]
            {
                new { type = "button", action_id = "close", text = new { type = "plain_text", text = "Close" }, confirm },
                new { type = "overflow", action_id = "more", options },
                new { type = "users_select", action_id = "lead", placeholder = new { type = "plain_text", text = new string('p', 151) } },
                new { type = "static_select", action_id = "sev", options = new[] { new { text = new { type = "plain_text", text = "SEV1" }, value = new string('v', 151) } } },
            } },
            new { type = "section", text = new { type = "mrkdwn", text = "Lead" }, accessory = new { type = "button", action_id = "hand_over", text = new { type = "mrkdwn", text = "Hand over" } } },
        };

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", blocks });

        reply.AssertError("invalid_blocks");
        var messages = reply.GetProperty("response_metadata").GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains("[ERROR] must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]", messages);
        Assert.Contains("[ERROR] must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]", messages);
        Assert.Contains("[ERROR] must be a valid enum value [json-pointer:/blocks/0/elements/0/confirm/confirm/type]", messages);
        Assert.Contains("[ERROR] missing required field: deny [json-pointer:/blocks/0/elements/0/confirm]", messages);
        Assert.Contains("[ERROR] no more than 5 items allowed [json-pointer:/blocks/0/elements/1/options]", messages);
        Assert.Contains("[ERROR] must be less than 151 characters [json-pointer:/blocks/0/elements/2/placeholder/text]", messages);
        Assert.Contains("[ERROR] must be less than 151 characters [json-pointer:/blocks/0/elements/3/options/0/value]", messages);
        Assert.Contains("[ERROR] must be a valid enum value [json-pointer:/blocks/1/accessory/text/type]", messages);
    }

    [Fact]
    public async Task A_card_with_a_confirmed_button_and_selects_within_limits_is_posted()
    {
        var channel = ChannelWithBot();
        var confirm = new { title = new { type = "plain_text", text = "Close INC-1?" }, text = new { type = "mrkdwn", text = "The draft is compiled." }, confirm = new { type = "plain_text", text = "Close" }, deny = new { type = "plain_text", text = "Keep open" }, style = "danger" };
        var blocks = new object[]
        {
            new { type = "section", text = new { type = "mrkdwn", text = "*INC-1*" }, accessory = new { type = "users_select", action_id = "lead", placeholder = new { type = "plain_text", text = "Hand over lead" } } },
            new { type = "actions", elements = new object[]
            {
                new { type = "button", action_id = "close", style = "danger", text = new { type = "plain_text", text = "Close" }, confirm },
                new { type = "overflow", action_id = "more", options = new[] { new { text = new { type = "plain_text", text = "Post update" }, value = "update" } } },
            } },
        };

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "INC-1", blocks });

        reply.AssertOk();
    }

    [Fact]
    public async Task Header_text_over_150_characters_is_invalid_blocks()
    {
        var channel = ChannelWithBot();
        var blocks = new[] { new { type = "header", text = new { type = "plain_text", text = new string('h', 151) } } };

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", blocks });

        reply.AssertError("invalid_blocks");
        Assert.Contains("must be no longer than 150 characters [json-pointer:/blocks/0/text/text]", reply.GetProperty("response_metadata").GetProperty("messages")[0].GetString());
    }

    [Fact]
    public async Task Text_over_40000_characters_is_truncated_with_a_warning()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = new string('t', 40_010) });

        reply.AssertOk();
        Assert.Equal("message_truncated", reply.Str("warning"));
        Assert.Equal(40_000, Slack.Workspace.GetMessage(channel, reply.Str("ts")).Text.Length);
    }

    [Fact]
    public async Task Replying_to_an_unknown_thread_is_thread_not_found()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", thread_ts = "1700000000.000001" });

        reply.AssertError("thread_not_found");
    }

    [Fact]
    public async Task Metadata_is_stored_and_returned_only_when_asked_for()
    {
        var channel = ChannelWithBot();
        var metadata = new { event_type = "incidentbot_post", event_payload = new { incident_id = "INC-1", part = "summary" } };

        var posted = await Api.JsonAsync("chat.postMessage", new { channel, text = "x", metadata });
        var plain = await Api.FormAsync("conversations.history", new Dictionary<string, string> { ["channel"] = channel });
        var withMetadata = await Api.FormAsync("conversations.history", new Dictionary<string, string> { ["channel"] = channel, ["include_all_metadata"] = "true" });

        posted.AssertOk();
        Assert.False(plain.GetProperty("messages")[0].TryGetProperty("metadata", out _));
        var returned = withMetadata.GetProperty("messages")[0].GetProperty("metadata");
        Assert.Equal("incidentbot_post", returned.Str("event_type"));
        Assert.Equal("INC-1", returned.GetProperty("event_payload").Str("incident_id"));
    }

    [Fact]
    public async Task Metadata_sent_as_a_form_json_string_is_parsed()
    {
        var channel = ChannelWithBot();

        var reply = await Api.FormAsync("chat.postMessage", new Dictionary<string, string>
        {
            ["channel"] = channel,
            ["text"] = "x",
            ["metadata"] = "{\"event_type\":\"incidentbot_post\",\"event_payload\":{\"part\":\"a\"}}",
        });

        reply.AssertOk();
        Assert.Equal("incidentbot_post", Slack.Workspace.GetMessage(channel, reply.Str("ts")).Metadata!.EventType);
    }

    [Fact]
    public async Task Update_changes_only_the_bots_own_messages()
    {
        var channel = ChannelWithBot();
        var human = Slack.Workspace.PostMessage(Alice, channel, "mine");
        var posted = await Api.JsonAsync("chat.postMessage", new { channel, text = "v1" });

        var updated = await Api.JsonAsync("chat.update", new { channel, ts = posted.Str("ts"), text = "v2" });
        var refused = await Api.JsonAsync("chat.update", new { channel, ts = human.Ts, text = "hijack" });
        var missing = await Api.JsonAsync("chat.update", new { channel, ts = "1600000000.000001", text = "x" });

        updated.AssertOk();
        Assert.Equal("v2", Slack.Workspace.GetMessage(channel, posted.Str("ts")).Text);
        refused.AssertError("cant_update_message");
        missing.AssertError("message_not_found");
    }

    [Fact]
    public async Task Ephemeral_messages_need_the_user_in_the_channel_and_stay_out_of_history()
    {
        var channel = ChannelWithBot();

        var toAlice = await Api.JsonAsync("chat.postEphemeral", new { channel, user = Alice, text = "only you" });
        var toBob = await Api.JsonAsync("chat.postEphemeral", new { channel, user = Bob, text = "only you" });

        toAlice.AssertOk();
        Assert.False(string.IsNullOrEmpty(toAlice.Str("message_ts")));
        toBob.AssertError("user_not_in_channel");
        Assert.Empty(Slack.Workspace.Messages(channel));
        Assert.Equal("only you", Assert.Single(Slack.Workspace.Ephemerals).Text);
    }

    [Fact]
    public async Task Permalink_uses_the_team_domain_and_the_ts_without_its_dot()
    {
        var channel = ChannelWithBot();
        var message = Slack.Workspace.PostMessage(Alice, channel, "x");

        var reply = await Api.GetAsync("chat.getPermalink", $"channel={channel}&message_ts={message.Ts}");

        Assert.Equal($"https://fake-workspace.slack.com/archives/{channel}/p{message.Ts.Replace(".", "")}", reply.Str("permalink"));
    }
}
