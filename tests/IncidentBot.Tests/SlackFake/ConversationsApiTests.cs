using System.Text.Json;

namespace IncidentBot.Tests.SlackFake;

public sealed class ConversationsApiTests : FakeSlackTestBase
{
    [Theory]
    [InlineData("", "invalid_name_required")]
    [InlineData("Inc-1", "invalid_name_specials")]
    [InlineData("inc 1", "invalid_name_specials")]
    [InlineData("inc.1", "invalid_name_specials")]
    public async Task Create_validates_names_like_slack(string name, string error)
    {
        var reply = await Api.JsonAsync("conversations.create", new { name });

        reply.AssertError(error);
    }

    [Fact]
    public async Task Archive_archives_once_then_answers_already_archived()
    {
        var channel = ChannelWithBot();

        var first = await Api.JsonAsync("conversations.archive", new { channel });
        var again = await Api.JsonAsync("conversations.archive", new { channel });

        first.AssertOk();
        again.AssertError("already_archived");
        Assert.True(Slack.Workspace.GetChannel(channel).IsArchived);
    }

    [Fact]
    public async Task Archive_refuses_general_and_a_channel_the_bot_is_not_in()
    {
        var general = ChannelWithBot("general");
        Slack.Workspace.MakeGeneral(general);
        var elsewhere = Slack.Workspace.CreateChannel("elsewhere", false, Alice).Id;

        (await Api.JsonAsync("conversations.archive", new { channel = general })).AssertError("cant_archive_general");
        (await Api.JsonAsync("conversations.archive", new { channel = elsewhere })).AssertError("not_in_channel");
        (await Api.JsonAsync("conversations.archive", new { channel = "C0NOSUCH01" })).AssertError("channel_not_found");
        Assert.False(Slack.Workspace.GetChannel(general).IsArchived);
        Assert.False(Slack.Workspace.GetChannel(elsewhere).IsArchived);
    }

    [Fact]
    public async Task Create_rejects_names_over_80_characters()
    {
        var ok = await Api.JsonAsync("conversations.create", new { name = new string('a', 80) });
        var tooLong = await Api.JsonAsync("conversations.create", new { name = new string('b', 81) });

        ok.AssertOk();
        tooLong.AssertError("invalid_name_maxlength");
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData("trailing_")]
    [InlineData("2026-03-02-inc-42")]
    public async Task Create_accepts_any_mix_of_lowercase_digits_dashes_and_underscores(string name)
    {
        var reply = await Api.JsonAsync("conversations.create", new { name });

        reply.AssertOk();
    }

    [Fact]
    public async Task Create_twice_with_the_same_name_is_name_taken()
    {
        await Api.JsonAsync("conversations.create", new { name = "inc-42" });

        var second = await Api.JsonAsync("conversations.create", new { name = "inc-42" });

        second.AssertError("name_taken");
    }

    [Fact]
    public async Task Create_returns_the_channel_with_the_bot_as_creator_and_member()
    {
        var reply = await Api.JsonAsync("conversations.create", new { name = "inc-43", is_private = true });

        var channel = reply.GetProperty("channel");
        Assert.StartsWith("G", channel.Str("id"));
        Assert.True(channel.GetProperty("is_private").GetBoolean());
        Assert.True(channel.GetProperty("is_member").GetBoolean());
        Assert.Equal(Slack.Options.BotUserId, channel.Str("creator"));
        Assert.Equal(1772443800, channel.GetProperty("created").GetInt64());
        Assert.Equal("", channel.GetProperty("topic").Str("value"));
    }

    [Fact]
    public async Task Invite_reports_slack_errors_and_invites_nobody_on_failure()
    {
        var channel = ChannelWithBot();

        var already = await Api.JsonAsync("conversations.invite", new { channel, users = $"{Bob},{Alice}" });
        var self = await Api.JsonAsync("conversations.invite", new { channel, users = Slack.Options.BotUserId });
        var unknown = await Api.JsonAsync("conversations.invite", new { channel, users = "U0NOBODY00" });

        already.AssertError("already_in_channel");
        Assert.Equal(Alice, already.GetProperty("errors")[0].Str("user"));
        self.AssertError("cant_invite_self");
        unknown.AssertError("user_not_found");
        Assert.False(Slack.Workspace.GetChannel(channel).HasMember(Bob));
    }

    [Fact]
    public async Task Invite_adds_members_and_writes_join_messages()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("conversations.invite", new { channel, users = Bob });

        reply.AssertOk();
        Assert.True(Slack.Workspace.GetChannel(channel).HasMember(Bob));
        var join = Assert.Single(Slack.Workspace.Messages(channel));
        Assert.Equal("channel_join", join.Subtype);
        Assert.Equal(Bob, join.User);
    }

    [Fact]
    public async Task Invite_needs_the_bot_in_the_channel()
    {
        var channel = Slack.Workspace.CreateChannel("other", false, Alice).Id;

        var reply = await Api.JsonAsync("conversations.invite", new { channel, users = Bob });

        reply.AssertError("not_in_channel");
    }

    [Fact]
    public async Task Invite_of_more_than_100_users_is_too_many_users()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("conversations.invite", new { channel, users = string.Join(',', Enumerable.Range(0, 101).Select(i => $"U{i:D10}")) });

        reply.AssertError("too_many_users");
    }

    [Fact]
    public async Task Join_when_already_a_member_is_ok_with_a_warning()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("conversations.join", new { channel });

        reply.AssertOk();
        Assert.Equal("already_in_channel", reply.Str("warning"));
    }

    [Fact]
    public async Task Join_is_not_supported_for_private_channels()
    {
        var channel = Slack.Workspace.CreateChannel("private-one", true, Slack.Options.BotUserId).Id;

        var reply = await Api.JsonAsync("conversations.join", new { channel });

        reply.AssertError("method_not_supported_for_channel_type");
    }

    [Fact]
    public async Task Set_topic_longer_than_250_characters_is_too_long()
    {
        var channel = ChannelWithBot();

        var ok = await Api.JsonAsync("conversations.setTopic", new { channel, topic = "SEV1: checkout down" });
        var tooLong = await Api.JsonAsync("conversations.setTopic", new { channel, topic = new string('x', 251) });

        ok.AssertOk();
        Assert.Equal("SEV1: checkout down", Slack.Workspace.GetChannel(channel).Topic.Value);
        tooLong.AssertError("too_long");
    }

    [Fact]
    public async Task Info_includes_num_members_when_asked()
    {
        var channel = ChannelWithBot();

        var reply = await Api.GetAsync("conversations.info", $"channel={channel}&include_num_members=true");

        Assert.Equal(2, reply.GetProperty("channel").GetProperty("num_members").GetInt32());
    }

    [Fact]
    public async Task History_pages_newest_first_with_cursor()
    {
        var channel = ChannelWithBot();
        var posted = Enumerable.Range(1, 5).Select(i => Slack.Workspace.PostMessage(Alice, channel, $"m{i}").Ts).ToList();

        var first = await History(channel, ("limit", "2"));
        var second = await History(channel, ("limit", "2"), ("cursor", NextCursor(first)));
        var third = await History(channel, ("limit", "2"), ("cursor", NextCursor(second)));

        Assert.Equal(["m5", "m4"], Texts(first));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(["m3", "m2"], Texts(second));
        Assert.Equal(["m1"], Texts(third));
        Assert.False(third.GetProperty("has_more").GetBoolean());
        Assert.Equal("", NextCursor(third));
        Assert.Equal(5, posted.Distinct().Count());
    }

    [Fact]
    public async Task History_bounds_are_exclusive_unless_inclusive()
    {
        var channel = ChannelWithBot();
        var ts = Enumerable.Range(1, 5).Select(i => Slack.Workspace.PostMessage(Alice, channel, $"m{i}").Ts).ToList();

        var exclusive = await History(channel, ("oldest", ts[1]), ("latest", ts[3]));
        var inclusive = await History(channel, ("oldest", ts[1]), ("latest", ts[3]), ("inclusive", "true"));

        Assert.Equal(["m3"], Texts(exclusive));
        Assert.Equal(["m4", "m3", "m2"], Texts(inclusive));
    }

    [Fact]
    public async Task History_shows_thread_parents_and_broadcasts_but_not_replies()
    {
        var channel = ChannelWithBot();
        var parent = Slack.Workspace.PostMessage(Alice, channel, "parent");
        Slack.Workspace.PostMessage(Alice, channel, "quiet reply", parent.Ts);
        await Api.JsonAsync("chat.postMessage", new { channel, text = "loud reply", thread_ts = parent.Ts, reply_broadcast = true });

        var reply = await History(channel);

        Assert.Equal(["loud reply", "parent"], Texts(reply));
        Assert.Equal(2, reply.GetProperty("messages")[1].GetProperty("reply_count").GetInt32());
    }

    [Fact]
    public async Task History_rejects_bad_cursors_and_bad_latest()
    {
        var channel = ChannelWithBot();

        var badCursor = await History(channel, ("cursor", "not-a-cursor"));
        var badLatest = await History(channel, ("latest", "yesterday"));

        badCursor.AssertError("invalid_cursor");
        badLatest.AssertError("invalid_ts_latest");
    }

    [Theory]
    [InlineData("123.", "invalid_ts_oldest")]
    [InlineData("123.1234567", "invalid_ts_oldest")]
    [InlineData(".5", "invalid_ts_oldest")]
    public async Task History_refuses_a_ts_that_is_not_seconds_with_an_optional_fraction(string oldest, string error)
    {
        var channel = ChannelWithBot();

        var reply = await History(channel, ("oldest", oldest));

        reply.AssertError(error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1355517523")]
    [InlineData("1355517523.5")]
    public async Task History_takes_the_shorter_ts_forms_slack_takes_in_arguments(string oldest)
    {
        var channel = ChannelWithBot();
        Slack.Workspace.PostMessage(Alice, channel, "m1");

        var reply = await History(channel, ("oldest", oldest));

        Assert.Equal(["m1"], Texts(reply));
    }

    [Fact]
    public async Task History_needs_the_bot_in_the_channel()
    {
        var channel = Slack.Workspace.CreateChannel("public-not-joined", false, Alice).Id;

        var reply = await History(channel);

        reply.AssertError("not_in_channel");
    }

    [Fact]
    public async Task History_of_an_unknown_channel_is_channel_not_found()
    {
        var reply = await History("C9999999999");

        reply.AssertError("channel_not_found");
    }

    [Fact]
    public async Task Replies_list_the_parent_first_then_replies_oldest_first()
    {
        var channel = ChannelWithBot();
        var parent = Slack.Workspace.PostMessage(Alice, channel, "parent");
        var r1 = Slack.Workspace.PostMessage(Alice, channel, "r1", parent.Ts);
        Slack.Workspace.PostMessage(Alice, channel, "r2", parent.Ts);
        Slack.Workspace.PostMessage(Alice, channel, "unrelated");

        var byParent = await Api.FormAsync("conversations.replies", new Dictionary<string, string> { ["channel"] = channel, ["ts"] = parent.Ts });
        var byReply = await Api.FormAsync("conversations.replies", new Dictionary<string, string> { ["channel"] = channel, ["ts"] = r1.Ts });
        var unknown = await Api.FormAsync("conversations.replies", new Dictionary<string, string> { ["channel"] = channel, ["ts"] = "1600000000.000000" });

        Assert.Equal(["parent", "r1", "r2"], Texts(byParent));
        Assert.Equal(["parent", "r1", "r2"], Texts(byReply));
        unknown.AssertError("thread_not_found");
    }

    [Fact]
    public async Task List_pages_through_public_channels_and_the_private_ones_the_bot_is_in()
    {
        var open = Enumerable.Range(1, 5).Select(i => Slack.Workspace.CreateChannel($"open-{i}", false, Alice).Id).ToList();
        var archived = Slack.Workspace.ArchiveChannel(Slack.Workspace.CreateChannel("old", false, Alice).Id).Id;
        var secretWithBot = Slack.Workspace.CreateChannel("secret-with-bot", true, Alice, Slack.Options.BotUserId).Id;
        var secretWithoutBot = Slack.Workspace.CreateChannel("secret-without-bot", true, Alice).Id;

        var pages = new List<JsonElement>();
        var cursor = "";
        do
        {
            var page = await List(("limit", "2"), ("cursor", cursor));
            page.AssertOk();
            pages.Add(page);
            cursor = NextCursor(page);
        }
        while (cursor != "");
        var everything = await List(("types", "public_channel,private_channel"), ("exclude_archived", "true"));

        var paged = pages.SelectMany(Ids).ToList();
        Assert.All(pages, p => Assert.InRange(Ids(p).Count(), 1, 2));
        Assert.Equal(paged.Distinct(), paged);
        Assert.Superset(new HashSet<string>([.. open, archived]), paged.ToHashSet());
        Assert.DoesNotContain(secretWithBot, paged);
        Assert.Contains(secretWithBot, Ids(everything));
        Assert.DoesNotContain(secretWithoutBot, Ids(everything));
        Assert.DoesNotContain(archived, Ids(everything));
    }

    [Fact]
    public async Task List_rejects_bad_cursors_and_unknown_types()
    {
        var badCursor = await List(("cursor", "not-a-cursor"));
        var badTypes = await List(("types", "public_channel,channels"));

        badCursor.AssertError("invalid_cursor");
        badTypes.AssertError("invalid_types");
    }

    private Task<JsonElement> List(params (string Name, string Value)[] arguments) =>
        Api.FormAsync("conversations.list", arguments.Where(a => a.Value != "").ToDictionary(a => a.Name, a => a.Value));

    private static IEnumerable<string> Ids(JsonElement reply) =>
        reply.GetProperty("channels").EnumerateArray().Select(c => c.Str("id"));

    private Task<JsonElement> History(string channel, params (string Name, string Value)[] arguments)
    {
        var fields = arguments.ToDictionary(a => a.Name, a => a.Value);
        fields["channel"] = channel;
        return Api.FormAsync("conversations.history", fields);
    }

    private static string[] Texts(JsonElement reply) =>
        [.. reply.GetProperty("messages").EnumerateArray().Select(m => m.Str("text"))];

    private static string NextCursor(JsonElement reply) =>
        reply.GetProperty("response_metadata").Str("next_cursor");
}
