using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using IncidentBot.SlackFake;

namespace IncidentBot.Tests.SlackFake;

/// <summary>The fake's Socket Mode side, driven by a bare WebSocket client standing in for the bot.</summary>
public sealed class SocketModeTests : FakeSlackTestBase
{
    protected override void Configure(FakeSlackOptions options)
    {
        options.Transport = BotTransport.SocketMode;

        // Generous for a shared, loaded machine; one redelivery is all these tests need.
        options.AckTimeout = TimeSpan.FromSeconds(1);
        options.EventRetryDelays = [TimeSpan.Zero];
    }

    [Fact]
    public async Task A_view_submission_is_answered_in_the_acks_payload()
    {
        var opened = await Api.JsonAsync("views.open", new
        {
            trigger_id = Slack.Driver.IssueTriggerId(Alice),
            view = ViewsApiTests.Modal([ViewsApiTests.TextInput("note")]),
        });
        var viewId = opened.GetProperty("view").Str("id");
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);

        var submission = Slack.Driver.SubmitViewAsync(Alice, viewId);
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = envelope.Str("envelope_id"), payload = new { response_action = "errors", errors = new { note = "Too short" } } });
        var result = await submission;

        Assert.Equal("view_submission", envelope.GetProperty("payload").Str("type"));
        Assert.Equal("errors", result.ResponseAction);
        Assert.Equal("Too short", Slack.Driver.OpenViewOf(Alice)!.Errors["note"]);
    }

    [Fact]
    public async Task Apps_connections_open_answers_a_websocket_url_for_the_app_token_in_the_header()
    {
        var reply = await Api.JsonAsync("apps.connections.open", new { }, token: Slack.Options.AppToken);

        reply.AssertOk();
        Assert.Matches(@"^ws://127\.0\.0\.1:\d+/link/\?ticket=[0-9a-f]{32}&app_id=A0FAKEAPP1$", reply.Str("url"));
    }

    [Fact]
    public async Task Apps_connections_open_refuses_a_bot_token_an_unknown_app_token_and_a_token_in_the_body()
    {
        var botToken = await Api.JsonAsync("apps.connections.open", new { }, token: Slack.Options.BotToken);
        var unknown = await Api.JsonAsync("apps.connections.open", new { }, token: "xapp-1-A0OTHER-1-nope");
        var inBody = await Api.FormAsync("apps.connections.open", new Dictionary<string, string>(), tokenInBody: true);
        var appTokenForABotMethod = await Api.JsonAsync("auth.test", new { }, token: Slack.Options.AppToken);

        botToken.AssertError("not_allowed_token_type");
        unknown.AssertError("invalid_auth");
        inBody.AssertError("not_authed");
        appTokenForABotMethod.AssertError("not_allowed_token_type");
        Assert.Equal(0, Slack.SocketMode.UrlsIssued);
    }

    [Fact]
    public async Task A_connection_gets_hello_first_and_its_url_works_only_once()
    {
        var url = await OpenUrlAsync();
        using var first = await ConnectAsync(url);

        var hello = await ReceiveAsync(first);
        using var second = new ClientWebSocket();
        var reuse = await Record.ExceptionAsync(() => second.ConnectAsync(url, CancellationToken.None));

        Assert.Equal("hello", hello.Str("type"));
        Assert.Equal(1, hello.GetProperty("num_connections").GetInt32());
        Assert.Equal(Slack.Options.AppId, hello.GetProperty("connection_info").Str("app_id"));
        Assert.IsType<WebSocketException>(reuse);
    }

    [Fact]
    public async Task An_unacknowledged_envelope_is_sent_again_with_the_next_retry_attempt_and_the_ack_is_recorded()
    {
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);

        var delivering = Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "hi", ts = "1.000001" });
        var first = await ReceiveAsync(socket);
        var second = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = second.Str("envelope_id") });
        var result = await delivering;

        Assert.Equal(("events_api", false, 0, ""), Envelope(first));
        Assert.Equal(("events_api", false, 1, "timeout"), Envelope(second));
        Assert.Equal(first.Str("envelope_id"), second.Str("envelope_id"));
        Assert.Equal("hi", first.GetProperty("payload").GetProperty("event").Str("text"));
        Assert.Equal([null, 200], result.Delivery.Attempts.Select(a => a.StatusCode));
        var ack = Assert.Single(Slack.SocketMode.Acks);
        Assert.Equal((first.Str("envelope_id"), false, (JsonElement?)null), (ack.EnvelopeId, ack.Lost, ack.Payload));
    }

    [Fact]
    public async Task An_event_callback_of_the_loads_own_goes_out_verbatim_as_an_events_api_envelope_and_its_ack_is_recorded()
    {
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);
        var eventCallback = """{"type":"event_callback","event_id":"Ev0LOAD0001","event":{"type":"message","channel":"C1","user":"U0ALICE001","text":"root cause <@U999>","ts":"1.000001"}}"""u8.ToArray();

        var delivering = Slack.SocketMode.DeliverEventAsync(eventCallback);
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = envelope.Str("envelope_id") });
        var result = await delivering;

        Assert.Equal(("events_api", false, 0, ""), Envelope(envelope));
        Assert.Equal(Encoding.UTF8.GetString(eventCallback), envelope.GetProperty("payload").GetRawText());
        Assert.Equal([200], result.Attempts.Select(a => a.StatusCode));
        Assert.Equal(envelope.Str("envelope_id"), Assert.Single(Slack.SocketMode.Acks).EnvelopeId);
        Assert.Equal((1L, 1L), (Slack.SocketMode.EnvelopesSent, Slack.SocketMode.AcksReceived));
    }

    [Fact]
    public async Task Keeping_counts_only_records_no_envelope_or_ack_yet_counts_each_and_still_redelivers_after_a_lost_ack()
    {
        Slack.Options.RecordSocketTraffic = false;
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);
        Slack.SocketMode.LoseNextAcks(1);

        var delivering = Slack.SocketMode.DeliverEventAsync("""{"type":"event_callback","event_id":"Ev0LOAD0002","event":{"type":"message","channel":"C1","text":"hi","ts":"1.000002"}}"""u8.ToArray());
        var first = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = first.Str("envelope_id") });
        var again = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = again.Str("envelope_id") });
        var result = await delivering;

        Assert.Equal([0, 1], new[] { first, again }.Select(e => e.GetProperty("retry_attempt").GetInt32()));
        Assert.Equal([null, 200], result.Attempts.Select(a => a.StatusCode));
        Assert.Empty(Slack.SocketMode.Envelopes);
        Assert.Empty(Slack.SocketMode.Acks);
        Assert.Equal((2L, 2L), (Slack.SocketMode.EnvelopesSent, Slack.SocketMode.AcksReceived));
    }

    [Fact]
    public async Task Envelopes_go_to_the_open_connections_in_turn_and_one_left_unacknowledged_comes_again_on_another()
    {
        // Two connections, as two replicas of the bot would each open one: Slack does not tell them apart.
        using var first = await ConnectAsync(await OpenUrlAsync());
        using var second = await ConnectAsync(await OpenUrlAsync());
        Assert.Equal([1, 2], new[] { await ReceiveAsync(first), await ReceiveAsync(second) }.Select(h => h.GetProperty("num_connections").GetInt32()));
        var (firstId, secondId) = (Slack.SocketMode.OpenConnections[0].Id, Slack.SocketMode.OpenConnections[1].Id);

        // Act: one envelope acked where it lands; the next left unacknowledged there.
        var acked = Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "one", ts = "1.000001" });
        var one = await ReceiveAsync(first);
        await SendAsync(first, new { envelope_id = one.Str("envelope_id") });
        var ignored = Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "two", ts = "1.000002" });
        var two = await ReceiveAsync(second);
        var again = await ReceiveAsync(first);
        await SendAsync(first, new { envelope_id = again.Str("envelope_id") });

        // Assert
        Assert.Equal([firstId], (await acked).Delivery.Attempts.Select(a => a.ConnectionId!.Value));
        var redelivered = (await ignored).Delivery;
        Assert.Equal([(secondId, "timeout"), (firstId, null)], redelivered.Attempts.Select(a => (a.ConnectionId!.Value, a.FailureReason)));
        Assert.Equal((two.Str("envelope_id"), 1, "timeout"), (again.Str("envelope_id"), again.GetProperty("retry_attempt").GetInt32(), again.Str("retry_reason")));
        Assert.True(redelivered.Succeeded);
    }

    [Fact]
    public async Task An_envelope_never_acknowledged_goes_to_a_connection_it_has_not_been_on_each_time()
    {
        Slack.Options.EventRetryDelays = [TimeSpan.Zero, TimeSpan.Zero];
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            sockets.Add(await ConnectAsync(await OpenUrlAsync()));
            await ReceiveAsync(sockets[^1]);
        }

        var result = await Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "nobody answers", ts = "1.000003" });

        Assert.Equal([0, 1, 2], result.Delivery.Attempts.Select(a => a.RetryNum));
        Assert.Equal(3, result.Delivery.Attempts.Select(a => a.ConnectionId).Distinct().Count());
        Assert.False(result.Delivery.Succeeded);
        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_slash_command_arrives_as_json_fields_and_the_ack_payload_is_its_answer()
    {
        var channel = ChannelWithBot();
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);

        var command = Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "start DB down");
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new { envelope_id = envelope.Str("envelope_id"), payload = new { response_type = "ephemeral", text = "On it" } });
        var result = await command;

        Assert.Equal(("slash_commands", true, 0, ""), Envelope(envelope));
        var payload = envelope.GetProperty("payload");
        Assert.Equal(("/incident", "start DB down", Alice, channel), (payload.Str("command"), payload.Str("text"), payload.Str("user_id"), payload.Str("channel_id")));
        Assert.Equal(result.TriggerId, payload.Str("trigger_id"));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("On it", result.Json!.Value.Str("text"));
        Assert.Equal("On it", Assert.Single(Slack.SocketMode.Acks).Payload!.Value.Str("text"));
    }

    [Fact]
    public async Task A_connection_beyond_ten_is_told_too_many_websockets()
    {
        var open = new List<ClientWebSocket>();
        for (var i = 0; i < 10; i++)
        {
            open.Add(await ConnectAsync(await OpenUrlAsync()));
            Assert.Equal("hello", (await ReceiveAsync(open[^1])).Str("type"));
        }

        using var eleventh = await ConnectAsync(await OpenUrlAsync());
        var refusal = await ReceiveAsync(eleventh);

        Assert.Equal(("disconnect", "too_many_websockets"), (refusal.Str("type"), refusal.Str("reason")));
        Assert.Equal(10, Slack.SocketMode.OpenConnections.Count);
        open.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Switching_socket_mode_off_sends_link_disabled_to_open_and_new_connections()
    {
        using var socket = await ConnectAsync(await OpenUrlAsync());
        await ReceiveAsync(socket);

        await Slack.SocketMode.DisableAsync();
        var disconnect = await ReceiveAsync(socket);
        using var late = await ConnectAsync(await OpenUrlAsync());
        var refusal = await ReceiveAsync(late);

        Assert.Equal(("disconnect", "link_disabled"), (disconnect.Str("type"), disconnect.Str("reason")));
        Assert.Equal(("disconnect", "link_disabled"), (refusal.Str("type"), refusal.Str("reason")));
    }

    [Fact]
    public async Task A_silent_connection_answers_no_pings_and_what_is_sent_on_it_is_lost()
    {
        using var socket = await ConnectAsync(await OpenUrlAsync(), keepAlive: TimeSpan.FromMilliseconds(500));
        await ReceiveAsync(socket);
        var connection = Assert.Single(Slack.SocketMode.OpenConnections);

        connection.GoSilent();
        var delivery = await Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "into the void", ts = "1.000002" });
        var aborted = await Record.ExceptionAsync(() => ReceiveAsync(socket));

        Assert.All(Slack.SocketMode.Envelopes, e => Assert.True(e.Lost));
        Assert.False(delivery.Delivery.Succeeded);
        Assert.IsType<WebSocketException>(aborted);
    }

    [Fact]
    public async Task A_connection_that_is_not_silent_answers_pings()
    {
        // Frequent pings, and a pong may be up to 2 s late (a loaded machine); the wait below outlasts that, so a
        // connection that never answered would be aborted before the envelope comes.
        using var socket = await ConnectAsync(await OpenUrlAsync(), keepAlive: TimeSpan.FromMilliseconds(250), pongTimeout: TimeSpan.FromSeconds(2));
        await ReceiveAsync(socket);

        // A pending receive is what reads the pongs; several ping rounds pass before the envelope comes. The delay is
        // the subject, not a wait for an effect: the client's keep-alive runs on the real clock, and the fake sees no pings.
        var receiving = ReceiveAsync(socket);
        await Task.Delay(3000);
        var delivering = Slack.Driver.SendEventAsync(new { type = "message", channel = "C1", user = Alice, text = "still here", ts = "1.000003" });
        var envelope = await receiving;
        await SendAsync(socket, new { envelope_id = envelope.Str("envelope_id") });

        Assert.True((await delivering).Delivery.Succeeded);
    }

    private static (string, bool, int, string) Envelope(JsonElement envelope) =>
        (envelope.Str("type"), envelope.GetProperty("accepts_response_payload").GetBoolean(), envelope.GetProperty("retry_attempt").GetInt32(), envelope.Str("retry_reason"));

    private async Task<Uri> OpenUrlAsync()
    {
        var reply = await Api.JsonAsync("apps.connections.open", new { }, token: Slack.Options.AppToken);
        return new Uri(reply.Str("url"));
    }

    /// <summary>With <paramref name="keepAlive"/>, the client pings and gives up when no pong comes within <paramref name="pongTimeout"/> (by default the same time).</summary>
    private static async Task<ClientWebSocket> ConnectAsync(Uri url, TimeSpan? keepAlive = null, TimeSpan? pongTimeout = null)
    {
        var socket = new ClientWebSocket();
        if (keepAlive is { } interval)
        {
            socket.Options.KeepAliveInterval = interval;
            socket.Options.KeepAliveTimeout = pongTimeout ?? interval;
        }

        await socket.ConnectAsync(url, CancellationToken.None);
        return socket;
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame)), WebSocketMessageType.Text, true, CancellationToken.None);
}
