using System.Net;
using System.Text.Json;
using IncidentBot.SlackFake.Faults;

namespace IncidentBot.Tests.SlackFake;

public sealed class FaultInjectionTests : FakeSlackTestBase
{
    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after_and_does_not_post()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.RateLimited(retryAfterSeconds: 30));

        using var response = await Api.SendJsonAsync("chat.postMessage", new { channel, text = "x" }, "application/json; charset=utf-8", Slack.Options.BotToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter!.Delta);
        Assert.Equal("{\"ok\":false,\"error\":\"ratelimited\"}", await response.Content.ReadAsStringAsync());
        Assert.Empty(Slack.Workspace.Messages(channel));
    }

    [Fact]
    public async Task Faults_are_consumed_one_per_call_in_order()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.Error("channel_not_found").Times(2));

        var first = await Api.JsonAsync("chat.postMessage", new { channel, text = "1" });
        var second = await Api.JsonAsync("chat.postMessage", new { channel, text = "2" });
        var third = await Api.JsonAsync("chat.postMessage", new { channel, text = "3" });

        first.AssertError("channel_not_found");
        second.AssertError("channel_not_found");
        third.AssertOk();
        Assert.Single(Slack.Workspace.Messages(channel));
    }

    [Fact]
    public async Task Faults_apply_only_to_their_method()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.Error("fatal_error"));

        var reply = await Api.JsonAsync("auth.test", new { });

        reply.AssertOk();
        Assert.Equal(1, Slack.Faults.Pending("chat.postMessage"));
    }

    [Fact]
    public async Task Server_error_is_not_processed()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.ServerError(503));

        using var response = await Api.SendJsonAsync("chat.postMessage", new { channel, text = "x" }, "application/json; charset=utf-8", Slack.Options.BotToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(Slack.Workspace.Messages(channel));
    }

    [Fact]
    public async Task Lost_response_posts_the_message_but_answers_500()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.LostResponse());

        using var response = await Api.SendJsonAsync("chat.postMessage", new { channel, text = "landed" }, "application/json; charset=utf-8", Slack.Options.BotToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("landed", Assert.Single(Slack.Workspace.Messages(channel)).Text);
        var recorded = Slack.Calls.Last("chat.postMessage")!;
        Assert.Equal(500, recorded.StatusCode);
        Assert.NotNull(recorded.Fault);
    }

    [Fact]
    public async Task Lost_response_can_drop_the_connection_after_posting()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.LostResponse(abortConnection: true));

        await Assert.ThrowsAsync<HttpRequestException>(() => Api.SendJsonAsync("chat.postMessage", new { channel, text = "landed" }, "application/json; charset=utf-8", Slack.Options.BotToken));

        Assert.Single(Slack.Workspace.Messages(channel));
    }

    [Fact]
    public async Task Slow_delays_then_processes_normally()
    {
        var channel = ChannelWithBot();
        Slack.Faults.Enqueue("chat.postMessage", Fault.Slow(TimeSpan.FromMilliseconds(300)));
        var started = DateTime.UtcNow;

        var reply = await Api.JsonAsync("chat.postMessage", new { channel, text = "x" });

        reply.AssertOk();
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_persistent_fault_lasts_until_cleared()
    {
        Slack.Faults.SetPersistent("auth.test", Fault.Error("service_unavailable"));

        var first = await Api.JsonAsync("auth.test", new { });
        var second = await Api.JsonAsync("auth.test", new { });
        Slack.Faults.Clear("auth.test");
        var third = await Api.JsonAsync("auth.test", new { });

        first.AssertError("service_unavailable");
        second.AssertError("service_unavailable");
        third.AssertOk();
    }

    [Fact]
    public async Task Html_server_errors_are_not_json()
    {
        Slack.Faults.Enqueue("auth.test", Fault.ServerError(502, htmlBody: true));

        using var response = await Api.SendJsonAsync("auth.test", new { }, "application/json; charset=utf-8", Slack.Options.BotToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }
}
