using System.Net;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.WebApi;

namespace IncidentBot.Tests.SlackFake;

/// <summary>Slack's per-method tiers (slack-protocol.md §7.1), as the fake enforces them when they are on.</summary>
public sealed class MethodRateLimitTests : FakeSlackTestBase
{
    protected override void Configure(FakeSlackOptions options) =>
        options.MethodRateLimits = new Dictionary<string, MethodRateLimit> { ["reactions.add"] = new(Burst: 2, Interval: TimeSpan.FromSeconds(3)) };

    [Fact]
    public async Task A_method_past_its_allowance_is_refused_for_the_whole_workspace_and_changes_nothing_until_its_pace_allows_one_more()
    {
        var channel = ChannelWithBot();
        var other = ChannelWithBot("inc-2-api");
        var first = Slack.Workspace.PostMessage(Alice, channel, "first");
        var second = Slack.Workspace.PostMessage(Alice, channel, "second");
        var elsewhere = Slack.Workspace.PostMessage(Alice, other, "elsewhere");

        (await Api.JsonAsync("reactions.add", new { channel, timestamp = first.Ts, name = "eyes" })).AssertOk();
        (await Api.JsonAsync("reactions.add", new { channel, timestamp = second.Ts, name = "eyes" })).AssertOk();

        // Per method for the workspace: another channel is refused too, and nothing is added.
        using var refused = await Api.SendJsonAsync("reactions.add", new { channel = other, timestamp = elsewhere.Ts, name = "eyes" }, "application/json; charset=utf-8", Slack.Options.BotToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("{\"ok\":false,\"error\":\"ratelimited\"}", await refused.Content.ReadAsStringAsync());
        Assert.Empty(Slack.Workspace.GetMessage(other, elsewhere.Ts).Reactions);

        // Another method is not held back; a token back after its interval, and only one.
        (await Api.JsonAsync("chat.postMessage", new { channel, text = "still posting" })).AssertOk();
        Clock.Advance(TimeSpan.FromSeconds(2));
        using var early = await Api.SendJsonAsync("reactions.add", new { channel = other, timestamp = elsewhere.Ts, name = "eyes" }, "application/json; charset=utf-8", Slack.Options.BotToken);
        Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter!.Delta);
        Clock.Advance(TimeSpan.FromSeconds(1));
        (await Api.JsonAsync("reactions.add", new { channel = other, timestamp = elsewhere.Ts, name = "eyes" })).AssertOk();
        Assert.Equal(2, Slack.Calls.For("reactions.add").Count(c => c.StatusCode == 429));
    }

    [Fact]
    public void Slacks_tiers_give_a_minutes_allowance_at_once_then_one_call_at_its_pace()
    {
        var tier3 = MethodRateLimit.Slack["reactions.add"];

        Assert.Equal((50, TimeSpan.FromSeconds(1.2)), (tier3.Burst, tier3.Interval));
        Assert.Equal(MethodRateLimit.Tier2, MethodRateLimit.Slack["conversations.create"]);
        Assert.False(MethodRateLimit.Slack.ContainsKey("chat.postMessage")); // its limit is per channel
    }
}
