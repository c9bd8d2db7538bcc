using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.Tests.SlackFake;

public sealed class WorkspaceTests : FakeSlackTestBase
{
    [Fact]
    public void Ts_is_unique_and_strictly_increasing_per_channel_under_a_frozen_clock()
    {
        var channel = ChannelWithBot();

        var stamps = Enumerable.Range(0, 5).Select(i => Slack.Workspace.PostMessage(Alice, channel, $"m{i}").Ts).ToList();

        Assert.Equal(stamps.Count, stamps.Distinct().Count());
        Assert.Equal(stamps, stamps.OrderBy(SlackTs.Parse).ToList());
        Assert.Equal("1772443800.000000", stamps[0]);
        Assert.Equal("1772443800.000001", stamps[1]);
    }

    [Fact]
    public void Ts_follows_the_clock_with_microseconds()
    {
        var channel = ChannelWithBot();
        Clock.Advance(TimeSpan.FromMilliseconds(1.5));

        var message = Slack.Workspace.PostMessage(Alice, channel, "hi");

        Assert.Equal("1772443800.001500", message.Ts);
    }

    [Fact]
    public void Ts_sequences_are_independent_per_channel()
    {
        var first = ChannelWithBot("inc-1");
        var second = ChannelWithBot("inc-2");

        var a = Slack.Workspace.PostMessage(Alice, first, "a");
        var b = Slack.Workspace.PostMessage(Alice, second, "b");

        Assert.Equal(a.Ts, b.Ts);
    }

    [Fact]
    public void Ts_parsing_compares_as_integers_not_doubles()
    {
        Assert.True(SlackTs.Parse("1355517523.000010") > SlackTs.Parse("1355517523.000009"));
        Assert.Equal(new DateTimeOffset(2012, 12, 14, 20, 38, 43, TimeSpan.Zero).AddTicks(50), SlackTs.Parse("1355517523.000005").ToDateTimeOffset());
    }

    [Fact]
    public void Channel_ids_are_slack_shaped_and_private_ones_start_with_G()
    {
        var open = Slack.Workspace.CreateChannel("general-talk");
        var closed = Slack.Workspace.CreateChannel("secret", isPrivate: true);

        Assert.Matches("^C[0-9]{10}$", open.Id);
        Assert.Matches("^G[0-9]{10}$", closed.Id);
    }

    [Fact]
    public async Task A_channel_seeded_under_a_chosen_id_is_that_channel_to_the_Web_API_and_the_id_cannot_be_seeded_twice()
    {
        // Arrange: the bench's load names its channels itself.
        var channel = Slack.Workspace.CreateChannelWithId("C0BENCH01", "bench-1", false, Slack.Options.BotUserId, Alice);

        // Act
        var reply = await Api.JsonAsync("chat.postMessage", new { channel = "C0BENCH01", text = "Incident declared" });
        var again = Assert.Throws<ArgumentException>(() => Slack.Workspace.CreateChannelWithId("C0BENCH01", "bench-2"));

        // Assert
        reply.AssertOk();
        Assert.Equal("C0BENCH01", reply.Str("channel"));
        Assert.Equal([Slack.Options.BotUserId, Alice], channel.Members);
        Assert.Equal("Incident declared", Assert.Single(Slack.Workspace.Messages("C0BENCH01")).Text);
        Assert.Contains("C0BENCH01", again.Message, StringComparison.Ordinal);
        Assert.Null(Slack.Workspace.FindChannelByName("bench-2"));
    }

    [Fact]
    public void Seeding_a_taken_name_fails_with_name_taken()
    {
        Slack.Workspace.CreateChannel("inc-1");

        var error = Assert.Throws<FakeSlackException>(() => Slack.Workspace.CreateChannel("inc-1"));

        Assert.Equal("name_taken", error.Error);
    }

    [Fact]
    public void A_reply_updates_the_parent_thread_counters()
    {
        var channel = ChannelWithBot();
        var parent = Slack.Workspace.PostMessage(Alice, channel, "parent");

        var reply = Slack.Workspace.PostMessage(Alice, channel, "reply", parent.Ts);

        var updated = Slack.Workspace.GetMessage(channel, parent.Ts);
        Assert.Equal(parent.Ts, reply.ThreadTs);
        Assert.Equal(Alice, reply.ParentUserId);
        Assert.Equal(1, updated.ReplyCount);
        Assert.Equal(parent.Ts, updated.ThreadTs);
        Assert.Equal(reply.Ts, updated.LatestReply);
    }

    [Fact]
    public void A_human_cannot_post_in_a_channel_they_are_not_in()
    {
        var channel = ChannelWithBot();

        var error = Assert.Throws<FakeSlackException>(() => Slack.Workspace.PostMessage(Bob, channel, "hi"));

        Assert.Equal("not_in_channel", error.Error);
    }
}
