using System.Net;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.WebApi;

namespace IncidentBot.Tests.SlackFake;

/// <summary>chat.postMessage's limit per channel (slack-protocol.md §7.1), as the fake enforces it when it is on.</summary>
public sealed class PostingRateLimitTests : FakeSlackTestBase
{
    protected override void Configure(FakeSlackOptions options) => options.PostingRateLimit = new PostingRateLimit(Burst: 3, Interval: TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_burst_goes_through_then_a_channel_is_refused_with_retry_after_until_its_pace_allows_one_more()
    {
        var channel = ChannelWithBot();
        var other = ChannelWithBot("inc-2-api");

        for (var i = 1; i <= 3; i++)
        {
            (await Api.JsonAsync("chat.postMessage", new { channel, text = $"{i}" })).AssertOk();
        }

        using var refused = await Api.SendJsonAsync("chat.postMessage", new { channel, text = "4" }, "application/json; charset=utf-8", Slack.Options.BotToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("{\"ok\":false,\"error\":\"ratelimited\"}", await refused.Content.ReadAsStringAsync());
        Assert.Equal(3, Slack.Workspace.Messages(channel).Count);

        // Per channel: another one is not held back; and a second later the first takes one more.
        (await Api.JsonAsync("chat.postMessage", new { channel = other, text = "elsewhere" })).AssertOk();
        Clock.Advance(TimeSpan.FromSeconds(1));
        (await Api.JsonAsync("chat.postMessage", new { channel, text = "4" })).AssertOk();
        using var again = await Api.SendJsonAsync("chat.postMessage", new { channel, text = "5" }, "application/json; charset=utf-8", Slack.Options.BotToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(["1", "2", "3", "4"], Slack.Workspace.Messages(channel).Select(m => m.Text));
        Assert.Equal(2, Slack.Calls.For("chat.postMessage").Count(c => c.StatusCode == 429));
    }
}
