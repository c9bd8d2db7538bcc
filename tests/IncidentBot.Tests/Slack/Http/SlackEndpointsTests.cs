using System.Net;
using System.Text;
using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.Http;

/// <summary>The three request URLs, driven over HTTP by the fake Slack exactly as Slack sends (signed).</summary>
public sealed class SlackEndpointsTests : IAsyncLifetime
{
    private readonly Received _received = new();
    private SlackTestbed _testbed = null!;

    private FakeSlackDriver Slack => _testbed.Slack.Driver;

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(configure: options => options with
        {
            ConfigureServices = services => services.AddSingleton(_received),
            ConfigureSlack = slack => slack
                .AddCommand<EchoCommand>("/incident", "echo")
                .AddEventHandler<MessageEventBase, RecordingMessages>()
                .AddEventHandler<ReactionAdded, FailingReactions>()
                .AddBlockAction<RecordingAction>("ack")
                .AddViewSubmission<RejectingModal>("declare"),
        });
        _testbed.Slack.Workspace.AddUser("U0ANA", "ana", "Ana Lima");
        _testbed.Slack.Workspace.CreateChannel("general", false, "U0ANA", _testbed.Slack.Options.BotUserId);
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private string General => _testbed.Slack.Workspace.Channels.Single(c => c.Name == "general").Id;

    private long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        var result = await Slack.SendUrlVerificationAsync("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        Assert.True(result.ChallengeAccepted);
    }

    [Fact]
    public async Task A_signed_slash_command_reaches_its_handler_and_is_answered_at_once()
    {
        var result = await Slack.SendSlashCommandAsync("U0ANA", General, "/incident", "echo hello & <world>");

        Assert.Equal(200, result.StatusCode);
        var json = result.Json!.Value;
        Assert.Equal("ephemeral", json.GetProperty("response_type").GetString());
        Assert.Equal("echo: hello & <world> from U0ANA", json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_command_without_a_handler_gets_an_ephemeral_answer_not_an_error()
    {
        var result = await Slack.SendSlashCommandAsync("U0ANA", General, "/incident", "start Consumer app outage");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("ephemeral", result.Json!.Value.GetProperty("response_type").GetString());
    }

    [Fact]
    public async Task A_human_message_reaches_message_handlers_with_its_fields()
    {
        var posted = await Slack.PostMessageAsync("U0ANA", General, "api is returning 500s");

        Assert.Equal(200, posted.StatusCode);
        var message = Assert.IsType<MessageEvent>(Assert.Single(_received.Messages));
        Assert.Equal((General, posted.Ts, "U0ANA", "api is returning 500s"), (message.Channel, message.Ts, message.User, message.Text));
        Assert.False(Assert.Single(_received.FromThisBot));
    }

    [Fact]
    public async Task The_bots_own_post_comes_back_as_an_event_recognised_as_its_own()
    {
        var slack = _testbed.Bot.Services.GetRequiredService<IncidentBot.Slack.WebApi.ISlackApiClient>();

        var posted = await slack.Chat.PostMessageAsync(new() { Channel = General, Text = "Incident declared" }, CancellationToken.None);
        await _testbed.Slack.WhenIdleAsync();

        var echoed = Assert.IsType<MessageEvent>(Assert.Single(_received.Messages));
        Assert.Equal(posted.Ts, echoed.Ts);
        Assert.True(Assert.Single(_received.FromThisBot));
    }

    [Fact]
    public async Task Edits_and_deletes_reach_message_handlers_as_their_subtypes()
    {
        var posted = await Slack.PostMessageAsync("U0ANA", General, "db is fine");
        await Slack.EditMessageAsync("U0ANA", General, posted.Ts, "db is NOT fine");
        await Slack.DeleteMessageAsync("U0ANA", General, posted.Ts);

        Assert.Collection(
            _received.Messages,
            m => Assert.IsType<MessageEvent>(m),
            m => Assert.Equal("db is NOT fine", Assert.IsType<MessageChanged>(m).Message!.Text),
            m => Assert.Equal(posted.Ts, Assert.IsType<MessageDeleted>(m).DeletedTs));
    }

    [Fact]
    public async Task A_failing_handler_is_answered_500_so_slack_delivers_the_event_again_until_it_is_dead_lettered()
    {
        var posted = await Slack.PostMessageAsync("U0ANA", General, "pin me");

        var reaction = await Slack.AddReactionAsync("U0ANA", General, posted.Ts, "pushpin");

        var delivery = Assert.Single(reaction.Deliveries).Delivery;
        Assert.Equal([500, 500, 200], delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal([0, 1, 2], delivery.Attempts.Select(a => a.RetryNum));
        Assert.Equal([0, 1, 2], _received.ReactionRetries);
    }

    [Fact]
    public async Task Unknown_event_types_are_acknowledged_and_ignored()
    {
        var result = await Slack.SendEventAsync(new { type = "channel_created", channel = new { id = "C9", name = "x" }, event_ts = "1.000001" });
        var subtype = await Slack.SendEventAsync(new { type = "message", subtype = "channel_topic", channel = General, ts = "1.000002", topic = "x" });

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(200, subtype.StatusCode);
        Assert.Empty(_received.Messages);
    }

    [Fact]
    public async Task Block_actions_and_view_submissions_are_dispatched_by_id()
    {
        var action = await Slack.SendInteractionAsync(new
        {
            type = "block_actions",
            user = new { id = "U0ANA" },
            team = new { id = "T0FAKE0001" },
            actions = new[] { new { action_id = "ack", type = "button", value = "INC-7" } },
        });
        var view = await Slack.SendInteractionAsync(new
        {
            type = "view_submission",
            user = new { id = "U0ANA" },
            view = new { id = "V1", callback_id = "declare", state = new { values = new { } } },
        });

        Assert.Equal(200, action.StatusCode);
        Assert.Equal(["INC-7"], _received.Actions);
        Assert.Equal(200, view.StatusCode);
        var json = view.Json!.Value;
        Assert.Equal("errors", json.GetProperty("response_action").GetString());
        Assert.Equal("Title required", json.GetProperty("errors").GetProperty("title_block").GetString());
    }

    [Theory]
    [InlineData("slack/commands")]
    [InlineData("slack/events")]
    [InlineData("slack/interactions")]
    public async Task Unsigned_requests_are_refused_with_401_and_not_processed(string path)
    {
        var result = await Slack.SendRawAsync(path, Body(path), ContentType(path), signed: false);

        Assert.Equal(401, result.StatusCode);
        Assert.True(_received.Nothing);
    }

    [Theory]
    [InlineData(-310)]
    [InlineData(310)]
    [InlineData(-86_400)]
    public async Task Stale_and_future_timestamps_are_refused(int offsetSeconds)
    {
        var result = await Slack.SendRawAsync("slack/commands", Body("slack/commands"), ContentType("slack/commands"), timestamp: Now + offsetSeconds);

        Assert.Equal(401, result.StatusCode);
        Assert.True(_received.Nothing);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        var original = Body("slack/commands");
        var timestamp = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Slack.Signer.Sign(original, Now);
        using var request = new HttpRequestMessage(HttpMethod.Post, "slack/commands")
        {
            Content = new StringContent(original.Replace("echo%20hi", "echo%20pwned", StringComparison.Ordinal), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);

        using var response = await _testbed.Bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(_received.Nothing);
    }

    [Theory]
    [InlineData("x-slack-signature", "v0=", "")]
    [InlineData("x-slack-request-timestamp", "", "not-a-number")]
    [InlineData("x-slack-signature", "", "v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Missing_or_malformed_signature_headers_are_refused(string header, string _, string value)
    {
        var result = await Slack.SendRawAsync(
            "slack/events", "{\"type\":\"url_verification\",\"challenge\":\"c\"}", "application/json",
            headers: new Dictionary<string, string> { [header] = value });

        Assert.Equal(401, result.StatusCode);
    }

    [Theory]
    [InlineData("slack/events", "{\"type\":\"event_callback\",", "application/json")]
    [InlineData("slack/events", "", "application/json")]
    [InlineData("slack/events", "[1,2,3]", "application/json")]
    [InlineData("slack/events", "{\"type\":\"event_callback\",\"event_id\":\"Ev1\"}", "application/json")]
    [InlineData("slack/events", "{\"type\":\"url_verification\"}", "application/json")]
    [InlineData("slack/events", "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":[]}", "application/json")]
    [InlineData("slack/commands", "text=hello", "application/x-www-form-urlencoded")]
    [InlineData("slack/commands", "", "application/x-www-form-urlencoded")]
    [InlineData("slack/interactions", "payload=%7Bnot-json", "application/x-www-form-urlencoded")]
    [InlineData("slack/interactions", "other=1", "application/x-www-form-urlencoded")]
    [InlineData("slack/interactions", "payload=%5B%5D", "application/x-www-form-urlencoded")]
    public async Task Malformed_signed_bodies_get_400_never_500(string path, string body, string contentType)
    {
        var result = await Slack.SendRawAsync(path, body, contentType);

        Assert.Equal(400, result.StatusCode);
        Assert.True(_received.Nothing);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_over_one_mebibyte_get_413(bool signed)
    {
        var body = "{\"type\":\"event_callback\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";

        var result = await Slack.SendRawAsync("slack/events", body, "application/json", signed: signed);

        Assert.Equal(413, result.StatusCode);
    }

    [Fact]
    public async Task A_body_of_exactly_one_mebibyte_is_read()
    {
        const string prefix = "{\"type\":\"app_rate_limited\",\"pad\":\"";
        var body = prefix + new string('x', 1024 * 1024 - prefix.Length - 2) + "\"}";

        var result = await Slack.SendRawAsync("slack/events", body, "application/json");

        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task Slacks_ssl_check_is_answered_without_processing()
    {
        var result = await Slack.SendRawAsync("slack/commands", "ssl_check=1&token=abc", "application/x-www-form-urlencoded", signed: false);

        Assert.Equal(200, result.StatusCode);
        Assert.True(_received.Nothing);
    }

    [Fact]
    public async Task Healthz_is_ready_once_the_bot_knows_who_it_is()
    {
        var identity = _testbed.Bot.Services.GetRequiredService<SlackBotIdentity>();
        await Eventually.Until(() => identity.IsKnown, "the bot to learn who it is (auth.test)");

        using var response = await _testbed.Bot.Http.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((_testbed.Slack.Options.BotUserId, _testbed.Slack.Options.BotId), (identity.UserId, identity.BotId));
    }

    private static string Body(string path) => path switch
    {
        "slack/commands" => "command=%2Fincident&text=echo%20hi&user_id=U0ANA&channel_id=C1&team_id=T0FAKE0001",
        "slack/events" => JsonSerializer.Serialize(new { type = "event_callback", event_id = "Ev9", @event = new { type = "message", channel = "C1", user = "U0ANA", text = "x", ts = "1.000001" } }),
        _ => "payload=" + Uri.EscapeDataString("{\"type\":\"block_actions\",\"user\":{\"id\":\"U0ANA\"},\"actions\":[{\"action_id\":\"ack\",\"value\":\"v\"}]}"),
    };

    private static string ContentType(string path) => path == "slack/events" ? "application/json" : "application/x-www-form-urlencoded";

    public sealed class Received
    {
        public List<MessageEventBase> Messages { get; } = [];
        public List<bool> FromThisBot { get; } = [];
        public List<int> ReactionRetries { get; } = [];
        public List<string?> Actions { get; } = [];
        public List<string> Commands { get; } = [];

        public bool Nothing => Messages.Count == 0 && ReactionRetries.Count == 0 && Actions.Count == 0 && Commands.Count == 0;
    }

    private sealed class EchoCommand(Received received) : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
        {
            received.Commands.Add(command.Text);
            return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral($"echo: {SlackText.Unescape(command.Text)} from {command.UserId}"));
        }
    }

    private sealed class RecordingMessages(Received received, SlackRequestContext context) : IEventHandler<MessageEventBase>
    {
        public Task HandleAsync(MessageEventBase slackEvent, CancellationToken cancellationToken)
        {
            lock (received)
            {
                received.Messages.Add(slackEvent);
                received.FromThisBot.Add(context.IsFromThisBot);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class FailingReactions(Received received, SlackRequestContext context) : IEventHandler<ReactionAdded>
    {
        public Task HandleAsync(ReactionAdded slackEvent, CancellationToken cancellationToken)
        {
            received.ReactionRetries.Add(context.Delivery.RetryNum);
            throw new InvalidOperationException("the database is down");
        }
    }

    private sealed class RecordingAction(Received received) : IBlockActionHandler
    {
        public Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
        {
            received.Actions.Add(action.Value);
            return Task.CompletedTask;
        }
    }

    private sealed class RejectingModal : IViewSubmissionHandler
    {
        public Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken) =>
            Task.FromResult<ViewSubmissionResponse?>(ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["title_block"] = "Title required" }));
    }
}
