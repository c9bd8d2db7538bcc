using System.Net;
using System.Text.Json;

namespace IncidentBot.Tests.SlackFake;

public sealed class WebApiEnvelopeTests : FakeSlackTestBase
{
    [Fact]
    public async Task Auth_test_describes_the_bot()
    {
        var reply = await Api.JsonAsync("auth.test", new { });

        reply.AssertOk();
        Assert.Equal(Slack.Options.BotUserId, reply.Str("user_id"));
        Assert.Equal(Slack.Options.BotId, reply.Str("bot_id"));
        Assert.Equal(Slack.Options.TeamId, reply.Str("team_id"));
        Assert.False(reply.GetProperty("is_enterprise_install").GetBoolean());
    }

    [Fact]
    public async Task Token_only_in_a_json_body_is_not_authed()
    {
        using var response = await Api.SendJsonAsync("auth.test", new { token = Slack.Options.BotToken }, "application/json; charset=utf-8", bearerToken: null);

        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        reply.AssertError("not_authed");
    }

    [Fact]
    public async Task Token_in_a_form_body_is_accepted()
    {
        var reply = await Api.FormAsync("auth.test", new Dictionary<string, string>(), tokenInBody: true);

        reply.AssertOk();
    }

    [Fact]
    public async Task A_wrong_token_is_invalid_auth()
    {
        var reply = await Api.JsonAsync("auth.test", new { }, token: "xoxb-wrong");

        reply.AssertError("invalid_auth");
        Assert.False(Slack.Calls.Last("auth.test")!.Authorized);
    }

    [Fact]
    public async Task Json_without_charset_succeeds_with_a_missing_charset_warning()
    {
        var reply = await Api.JsonAsync("auth.test", new { }, contentType: "application/json");

        reply.AssertOk();
        Assert.Equal("missing_charset", reply.Str("warning"));
        Assert.Equal("missing_charset", reply.GetProperty("response_metadata").GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task A_form_body_with_charset_gets_a_superfluous_charset_warning()
    {
        var reply = await Api.FormAsync("auth.test", new Dictionary<string, string>(), contentType: "application/x-www-form-urlencoded; charset=utf-8");

        reply.AssertOk();
        Assert.Equal("superfluous_charset", reply.Str("warning"));
    }

    [Fact]
    public async Task Malformed_json_is_invalid_json()
    {
        var reply = await Api.JsonAsync("auth.test", "{\"channel\":");

        reply.AssertError("invalid_json");
    }

    [Fact]
    public async Task A_json_array_is_json_not_object()
    {
        var reply = await Api.JsonAsync("auth.test", "[1,2]");

        reply.AssertError("json_not_object");
    }

    [Fact]
    public async Task An_unknown_method_is_unknown_method()
    {
        var reply = await Api.JsonAsync("chat.scheduleTeleport", new { });

        reply.AssertError("unknown_method");
    }

    [Fact]
    public async Task Get_upload_url_rejects_json_bodies()
    {
        var reply = await Api.JsonAsync("files.getUploadURLExternal", new { filename = "a.md", length = 3 });

        reply.AssertError("invalid_arguments");
    }

    [Fact]
    public async Task Read_methods_accept_get_with_a_query_string()
    {
        var reply = await Api.GetAsync("users.info", $"user={Alice}");

        reply.AssertOk();
        var user = reply.GetProperty("user");
        Assert.Equal("Alice Martin", user.Str("real_name"));
        Assert.Equal("Europe/Paris", user.Str("tz"));
        Assert.Equal(3600, user.GetProperty("tz_offset").GetInt32());
        Assert.Equal("alice", user.GetProperty("profile").Str("display_name"));
    }

    [Fact]
    public async Task Unknown_user_is_user_not_found()
    {
        var reply = await Api.GetAsync("users.info", "user=U0NOBODY00");

        reply.AssertError("user_not_found");
    }

    [Fact]
    public async Task Every_call_is_recorded_with_its_arguments_and_outcome()
    {
        var channel = ChannelWithBot();

        await Api.JsonAsync("chat.postMessage", new { channel, text = "hello", blocks = new[] { new { type = "divider" } } });

        var call = Assert.Single(Slack.Calls.For("chat.postMessage"));
        Assert.Equal("hello", call.Argument("text"));
        Assert.Equal("[{\"type\":\"divider\"}]", call.Argument("blocks"));
        Assert.True(call.Authorized);
        Assert.True(call.Ok);
        Assert.Equal(200, call.StatusCode);
        Assert.Equal(Clock.GetUtcNow(), call.Time);
    }

    [Fact]
    public async Task Waiting_for_the_nth_call_completes_when_it_arrives()
    {
        var channel = ChannelWithBot();
        var second = Slack.Calls.WaitForCallAsync("chat.postMessage", 2, TimeSpan.FromSeconds(5));

        await Api.JsonAsync("chat.postMessage", new { channel, text = "one" });
        Assert.False(second.IsCompleted);
        await Api.JsonAsync("chat.postMessage", new { channel, text = "two" });

        Assert.Equal("two", (await second).Argument("text"));
    }
}
