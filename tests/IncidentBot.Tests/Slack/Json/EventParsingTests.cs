using System.Text.Json;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Tests.Slack.Json;

/// <summary>Every event shape the bot handles, parsed from payloads shaped as Slack sends them (slack-protocol.md §3).</summary>
public sealed class EventParsingTests
{
    private static EventCallback Envelope(string innerEvent) =>
        JsonSerializer.Deserialize<EventCallback>(
            $$"""
            {"token":"XXYYZZ","team_id":"T123ABC456","api_app_id":"A123ABC456","event":{{innerEvent}},
             "type":"event_callback","event_id":"Ev123ABC456","event_time":1355517523,
             "event_context":"4-eyJldCI6Im1lc3NhZ2UifQ","is_ext_shared_channel":false,"context_team_id":null,
             "authorizations":[{"enterprise_id":null,"team_id":"T123ABC456","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}]}
            """, SlackJson.Options)!;

    [Fact]
    public void Envelope_fields_are_read()
    {
        var callback = Envelope("""{"type":"app_mention","user":"U1","text":"hi","ts":"1.000001","channel":"C1","event_ts":"1.000001"}""");
        Assert.Equal("Ev123ABC456", callback.EventId);
        Assert.Equal("T123ABC456", callback.TeamId);
        Assert.Equal("A123ABC456", callback.ApiAppId);
        Assert.Equal(1355517523, callback.EventTime);
        Assert.True(Assert.Single(callback.Authorizations!).IsBot);
    }

    [Fact]
    public void Plain_message_with_blocks_and_unknown_fields()
    {
        var message = Assert.IsType<MessageEvent>(Envelope("""
            {"type":"message","channel":"C123ABC456","user":"U123ABC456","text":"Root cause found <@U999>",
             "ts":"1355517523.000005","event_ts":"1355517523.000005","channel_type":"channel",
             "client_msg_id":"8f6c0a3e-1111-2222-3333-444455556666","team":"T123ABC456","some_future_field":{"x":[1,2]},
             "blocks":[{"type":"rich_text","block_id":"Xy1","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"Root cause found "}]}]}]}
            """).Event);
        Assert.Equal("C123ABC456", message.Channel);
        Assert.Equal("U123ABC456", message.User);
        Assert.Equal("Root cause found <@U999>", message.Text);
        Assert.Equal("1355517523.000005", message.Ts);
        Assert.Equal("channel", message.ChannelType);
        Assert.Null(message.Subtype);
        Assert.False(message.IsThreadReply);
    }

    [Fact]
    public void Thread_reply_carries_thread_ts_and_parent()
    {
        var message = Assert.IsType<MessageEvent>(Envelope("""
            {"type":"message","channel":"C1","user":"U2","text":"on it","ts":"1355517600.000100",
             "thread_ts":"1355517523.000005","parent_user_id":"U1","event_ts":"1355517600.000100","channel_type":"group"}
            """).Event);
        Assert.True(message.IsThreadReply);
        Assert.Equal("1355517523.000005", message.ThreadTs);
        Assert.Equal("U1", message.ParentUserId);
    }

    [Fact]
    public void App_post_has_bot_id_and_app_id_but_no_subtype()
    {
        var message = Assert.IsType<MessageEvent>(Envelope("""
            {"type":"message","channel":"C1","user":"U0BOT","bot_id":"B0BOT","app_id":"A123ABC456","text":"Incident declared",
             "ts":"1355517524.000001","event_ts":"1355517524.000001","channel_type":"channel",
             "bot_profile":{"id":"B0BOT","name":"incidentbot","app_id":"A123ABC456"},
             "metadata":{"event_type":"incidentbot_post","event_payload":{"idempotency_key":"inc-1/announce"}}}
            """).Event);
        Assert.Equal("B0BOT", message.BotId);
        Assert.Equal("A123ABC456", message.AppId);
        Assert.Equal("incidentbot_post", message.Metadata!.EventType);
        Assert.Equal("inc-1/announce", message.Metadata.EventPayload!["idempotency_key"].GetString());
    }

    [Fact]
    public void Message_changed_holds_the_new_and_previous_versions()
    {
        var changed = Assert.IsType<MessageChanged>(Envelope("""
            {"type":"message","subtype":"message_changed","hidden":true,"channel":"C123ABC456","ts":"1358878755.000001",
             "message":{"type":"message","user":"U123ABC456","text":"Hello, world!","ts":"1355517523.000005",
                        "edited":{"user":"U123ABC456","ts":"1358878755.000001"}},
             "previous_message":{"type":"message","user":"U123ABC456","text":"Hello, wrld","ts":"1355517523.000005"},
             "event_ts":"1358878755.000001","channel_type":"channel"}
            """).Event);
        Assert.True(changed.Hidden);
        Assert.Equal("message_changed", changed.Subtype);
        Assert.Equal("1355517523.000005", changed.Message!.Ts);
        Assert.Equal("Hello, world!", changed.Message.Text);
        Assert.Equal("1358878755.000001", changed.Message.Edited!.Ts);
        Assert.Equal("Hello, wrld", changed.PreviousMessage!.Text);
    }

    [Fact]
    public void Message_deleted_names_the_deleted_ts()
    {
        var deleted = Assert.IsType<MessageDeleted>(Envelope("""
            {"type":"message","subtype":"message_deleted","hidden":true,"channel":"C1","ts":"1358878755.000002",
             "deleted_ts":"1355517523.000005","event_ts":"1358878755.000002",
             "previous_message":{"type":"message","user":"U1","text":"oops","ts":"1355517523.000005"}}
            """).Event);
        Assert.Equal("1355517523.000005", deleted.DeletedTs);
        Assert.Equal("oops", deleted.PreviousMessage!.Text);
    }

    [Fact]
    public void Legacy_bot_message_has_no_user()
    {
        var bot = Assert.IsType<BotMessage>(Envelope("""
            {"type":"message","subtype":"bot_message","bot_id":"B999","username":"pagerduty","icons":{"emoji":":pager:"},
             "text":"Alert: api 5xx > 5%","ts":"1505890000.000100","channel":"C1","event_ts":"1505890000.000100"}
            """).Event);
        Assert.Null(bot.User);
        Assert.Equal("pagerduty", bot.Username);
        Assert.Equal("B999", bot.BotId);
    }

    [Fact]
    public void Thread_broadcast_is_a_message_with_its_root()
    {
        var broadcast = Assert.IsType<ThreadBroadcast>(Envelope("""
            {"type":"message","subtype":"thread_broadcast","user":"U2","text":"Rolled back","ts":"1505890100.000200",
             "thread_ts":"1505890000.000100","channel":"C1","channel_type":"channel","event_ts":"1505890100.000200",
             "root":{"type":"message","user":"U1","text":"Deploy?","ts":"1505890000.000100","thread_ts":"1505890000.000100",
                     "reply_count":3,"reply_users":["U2"],"latest_reply":"1505890100.000200"}}
            """).Event);
        Assert.IsAssignableFrom<MessageEvent>(broadcast);
        Assert.Equal("Deploy?", broadcast.Root!.Text);
        Assert.True(broadcast.IsThreadReply);
    }

    [Fact]
    public void Channel_join_has_user_and_inviter()
    {
        var join = Assert.IsType<ChannelJoin>(Envelope("""
            {"type":"message","subtype":"channel_join","user":"U2147483828","inviter":"U1","text":"<@U2147483828|cal> has joined the channel",
             "ts":"1505890200.000300","channel":"C1","event_ts":"1505890200.000300","channel_type":"channel"}
            """).Event);
        Assert.Equal("U2147483828", join.User);
        Assert.Equal("U1", join.Inviter);
    }

    [Fact]
    public void File_share_carries_files()
    {
        var share = Assert.IsType<FileShareMessage>(Envelope("""
            {"type":"message","subtype":"file_share","user":"U1","text":"graph of the errors","upload":true,"display_as_bot":false,
             "files":[{"id":"F0123","name":"errors.png","title":"errors.png","mimetype":"image/png","permalink":"https://acme.slack.com/files/U1/F0123/errors.png"}],
             "ts":"1505890300.000400","channel":"C1","event_ts":"1505890300.000400","channel_type":"channel"}
            """).Event);
        Assert.Equal("F0123", Assert.Single(share.Files!).Id);
        Assert.True(share.Upload);
    }

    [Theory]
    [InlineData("reaction_added", typeof(ReactionAdded))]
    [InlineData("reaction_removed", typeof(ReactionRemoved))]
    public void Reactions_name_the_message_they_are_on(string type, Type expected)
    {
        var reaction = Assert.IsAssignableFrom<ReactionEvent>(Envelope($$"""
            {"type":"{{type}}","user":"U123ABC456","reaction":"pushpin","item_user":"U222222222",
             "item":{"type":"message","channel":"C123ABC456","ts":"1360782400.498405"},"event_ts":"1360782804.083113"}
            """).Event);
        Assert.IsType(expected, reaction);
        Assert.Equal("pushpin", reaction.Reaction);
        Assert.Equal("C123ABC456", reaction.Item.Channel);
        Assert.Equal("1360782400.498405", reaction.Item.Ts);
        Assert.Equal("U222222222", reaction.ItemUser);
    }

    [Fact]
    public void Reaction_on_a_file_has_no_channel_or_ts()
    {
        var reaction = Assert.IsType<ReactionAdded>(Envelope("""
            {"type":"reaction_added","user":"U1","reaction":"eyes","item":{"type":"file","file":"F123"},"event_ts":"1.000001"}
            """).Event);
        Assert.Equal("file", reaction.Item.Type);
        Assert.Null(reaction.Item.Ts);
        Assert.Null(reaction.ItemUser);
    }

    [Fact]
    public void App_mention_with_event_ts_without_a_dot()
    {
        var mention = Assert.IsType<AppMention>(Envelope("""
            {"type":"app_mention","user":"U061F7AUR","text":"<@U0LAN0Z89> is it everything a river should be?",
             "ts":"1515449522.000016","channel":"C123ABC456","event_ts":"1515449522000016"}
            """).Event);
        Assert.Equal("U061F7AUR", mention.User);
        Assert.Equal("1515449522000016", mention.EventTs);
    }

    [Fact]
    public void Member_joined_channel_uses_a_letter_channel_type()
    {
        var joined = Assert.IsType<MemberJoinedChannel>(Envelope("""
            {"type":"member_joined_channel","user":"W123ABC456","channel":"C123ABC456","channel_type":"C",
             "team":"T123ABC456","inviter":"U123456789","event_ts":"1360782804.083113"}
            """).Event);
        Assert.Equal("W123ABC456", joined.User);
        Assert.Equal("C", joined.ChannelType);
        Assert.Equal("U123456789", joined.Inviter);
    }

    [Theory]
    [InlineData("""{"type":"channel_created","channel":{"id":"C1","name":"x"},"event_ts":"1.1"}""", "channel_created", null)]
    [InlineData("""{"type":"message","subtype":"channel_topic","user":"U1","topic":"x","ts":"1.1","channel":"C1"}""", "message", "channel_topic")]
    [InlineData("""{"type":"message","subtype":"some_future_subtype","ts":"1.1","channel":"C1"}""", "message", "some_future_subtype")]
    public void Unknown_events_and_subtypes_parse_as_unknown(string innerEvent, string type, string? subtype)
    {
        var unknown = Assert.IsType<UnknownEvent>(Envelope(innerEvent).Event);
        Assert.Equal(type, unknown.Type);
        Assert.Equal(subtype, unknown.Subtype);
    }
}
