using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Slack.WebApi;

/// <summary>The Web API client and its resilience, against the fake Slack over HTTP, with time under the test's control.</summary>
public sealed class SlackApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = Clock.AtSeedIncident();
    private SlackTestbed _testbed = null!;
    private string _channel = "";

    private FakeSlackServer Slack => _testbed.Slack;
    private ISlackApiClient Client => _testbed.Bot.Services.GetRequiredService<ISlackApiClient>();

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(_time);
        Slack.Workspace.AddUser("U0HENRY", "henry", "Henry Clifford", "henry");
        _channel = Slack.Workspace.CreateChannel("inc-2017-09-21-consumer-app-outage", false, "U0HENRY", Slack.Options.BotUserId).Id;
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task Rate_limit_waits_for_retry_after_on_the_controlled_clock_then_succeeds()
    {
        Slack.Faults.Enqueue("users.info", Fault.RateLimited(retryAfterSeconds: 30).Times(2));

        var call = Client.Users.InfoAsync(new UserInfoRequest { User = "U0HENRY" }, CancellationToken.None);
        var user = await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        Assert.Equal("Henry Clifford", user.User.DisplayName);
        var times = Slack.Calls.For("users.info").Select(c => c.Time).ToList();
        Assert.Equal(3, times.Count);
        AssertWaited(TimeSpan.FromSeconds(30), times[1] - times[0]);
        AssertWaited(TimeSpan.FromSeconds(30), times[2] - times[1]);
    }

    [Fact]
    public async Task Retry_after_longer_than_the_cap_waits_only_the_cap()
    {
        Slack.Faults.Enqueue("users.info", Fault.RateLimited(retryAfterSeconds: 3600));

        var call = Client.Users.InfoAsync(new UserInfoRequest { User = "U0HENRY" }, CancellationToken.None);
        await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

        var times = Slack.Calls.For("users.info").Select(c => c.Time).ToList();
        AssertWaited(TimeSpan.FromSeconds(60), times[1] - times[0]);
    }

    /// <summary>
    /// Never sooner than asked. The test's clock moves in 1 s steps while the client runs, so on a busy machine a step
    /// can pass between Slack's answer and the client starting its wait; a few seconds over is that, not the client.
    /// </summary>
    private static void AssertWaited(TimeSpan expected, TimeSpan waited) => Assert.InRange(waited, expected, expected + TimeSpan.FromSeconds(5));

    [Fact]
    public async Task A_rate_limited_write_is_retried_because_slack_refused_it_and_lands_once()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.RateLimited(retryAfterSeconds: 2));

        var call = Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = _channel, Text = "Incident declared" }, CancellationToken.None);
        var posted = await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.Equal(posted.Ts, Assert.Single(Slack.Workspace.Messages(_channel)).Ts);
        Assert.Equal(2, Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task Rate_limited_in_an_ok_false_body_is_retried_too()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.Error("rate_limited"));

        var call = Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = _channel, Text = "hello" }, CancellationToken.None);
        await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.Single(Slack.Workspace.Messages(_channel));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_for_reads()
    {
        Slack.Faults.Enqueue("conversations.info", Fault.ServerError(500).Times(2));

        var call = Client.Conversations.InfoAsync(new ConversationInfoRequest { Channel = _channel }, CancellationToken.None);
        var info = await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1));

        Assert.Equal("inc-2017-09-21-consumer-app-outage", info.Channel.Name);
        var times = Slack.Calls.For("conversations.info").Select(c => c.Time).ToList();
        Assert.Equal(3, times.Count);
        Assert.True(times[1] > times[0] && times[2] > times[1], "each retry waited some backoff");
    }

    [Fact]
    public async Task Reads_give_up_after_the_retry_limit_with_a_typed_exception()
    {
        Slack.Faults.SetPersistent("conversations.history", Fault.ServerError(503));

        var call = Client.Conversations.HistoryAsync(new HistoryRequest { Channel = _channel }, CancellationToken.None);
        var exception = await Assert.ThrowsAsync<SlackUnavailableException>(() => _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(3)));

        Assert.False(exception.OutcomeUnknown);
        Assert.Equal(5, Slack.Calls.Count("conversations.history"));
    }

    [Fact]
    public async Task A_write_answered_500_is_not_sent_again_and_says_its_outcome_is_unknown()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.ServerError(500));

        var exception = await Assert.ThrowsAsync<SlackUnavailableException>(
            () => Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = _channel, Text = "hello" }, CancellationToken.None));

        Assert.True(exception.OutcomeUnknown);
        Assert.Equal(1, Slack.Calls.Count("chat.postMessage"));
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("invalid_auth")]
    [InlineData("not_in_channel")]
    [InlineData("missing_scope")]
    public async Task Caller_errors_are_never_retried(string error)
    {
        Slack.Faults.Enqueue("conversations.history", Fault.Error(error));

        var exception = await Assert.ThrowsAsync<SlackApiException>(
            () => Client.Conversations.HistoryAsync(new HistoryRequest { Channel = _channel }, CancellationToken.None));

        Assert.Equal(error, exception.ErrorCode);
        Assert.Equal("conversations.history", exception.Method);
        Assert.Equal(1, Slack.Calls.Count("conversations.history"));
    }

    [Fact]
    public async Task A_real_caller_error_from_slacks_state_carries_its_code()
    {
        var elsewhere = Slack.Workspace.CreateChannel("random", false, "U0HENRY").Id;

        var exception = await Assert.ThrowsAsync<SlackApiException>(
            () => Client.Conversations.HistoryAsync(new HistoryRequest { Channel = elsewhere }, CancellationToken.None));

        Assert.Equal("not_in_channel", exception.ErrorCode);
    }

    [Fact]
    public async Task Invalid_blocks_carry_slacks_detail()
    {
        var blocks = Enumerable.Range(0, 51).Select(i => new IncidentBot.Slack.Blocks.DividerBlock()).ToList();

        var exception = await Assert.ThrowsAsync<SlackApiException>(
            () => Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = _channel, Text = "x", Blocks = blocks }, CancellationToken.None));

        Assert.Equal("invalid_blocks", exception.ErrorCode);
        Assert.Contains(exception.Messages, m => m.Contains("json-pointer:/blocks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pagination_follows_cursors_across_pages_newest_first()
    {
        for (var i = 0; i < 250; i++)
        {
            Slack.Workspace.PostMessage("U0HENRY", _channel, $"message {i}");
        }

        var messages = new List<HistoryMessage>();
        await foreach (var message in Client.Conversations.AllHistoryAsync(new HistoryRequest { Channel = _channel }, CancellationToken.None, pageSize: 100))
        {
            messages.Add(message);
        }

        Assert.Equal(250, messages.Count);
        Assert.Equal("message 249", messages[0].Text);
        Assert.Equal("message 0", messages[^1].Text);
        Assert.Equal(250, messages.Select(m => m.Ts).Distinct().Count());
        var calls = Slack.Calls.For("conversations.history");
        Assert.Equal(3, calls.Count);
        Assert.Null(calls[0].Argument("cursor"));
        Assert.NotNull(calls[1].Argument("cursor"));
    }

    [Fact]
    public async Task A_post_whose_answer_was_lost_is_found_in_the_channel_not_sent_twice()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.LostResponse());

        var posted = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "Post-mortem draft, part 1", IdempotencyKey = "incident-7/draft/1" },
            CancellationToken.None);

        var message = Assert.Single(Slack.Workspace.Messages(_channel));
        Assert.Equal(message.Ts, posted.Ts);
        Assert.Equal(1, Slack.Calls.Count("chat.postMessage"));
        Assert.Equal("true", Slack.Calls.Last("conversations.history")!.Argument("include_all_metadata"));
    }

    [Fact]
    public async Task A_post_that_did_not_land_is_sent_again_and_lands_exactly_once()
    {
        Slack.Faults.Enqueue("chat.postMessage", Fault.ServerError(500));

        var posted = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "Post-mortem draft, part 1", IdempotencyKey = "incident-7/draft/1" },
            CancellationToken.None);

        Assert.Equal(posted.Ts, Assert.Single(Slack.Workspace.Messages(_channel)).Ts);
        Assert.Equal(2, Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task A_lost_thread_reply_is_looked_for_in_its_thread()
    {
        var parent = Slack.Workspace.PostMessage("U0HENRY", _channel, "status thread");
        Slack.Faults.Enqueue("chat.postMessage", Fault.LostResponse());

        var posted = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "update", ThreadTs = parent.Ts, IdempotencyKey = "incident-7/update/1" },
            CancellationToken.None);

        Assert.Equal(2, Slack.Workspace.Thread(_channel, parent.Ts).Count);
        Assert.Equal(posted.Ts, Slack.Workspace.Thread(_channel, parent.Ts)[^1].Ts);
        Assert.Equal(1, Slack.Calls.Count("conversations.replies"));
    }

    [Fact]
    public async Task A_post_that_may_have_landed_in_an_earlier_run_is_found_first_and_not_sent_again()
    {
        var earlier = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "SEV1", IdempotencyKey = "entry-2" }, CancellationToken.None);

        var resumed = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "SEV1", IdempotencyKey = "entry-2", MayHaveLanded = true }, CancellationToken.None);

        Assert.Equal(earlier.Ts, resumed.Ts);
        Assert.Single(Slack.Workspace.Messages(_channel));
        Assert.Equal(1, Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task A_post_that_may_have_landed_but_did_not_is_sent_once()
    {
        var resumed = await Client.Chat.PostMessageAsync(
            new PostMessageRequest { Channel = _channel, Text = "SEV1", IdempotencyKey = "entry-2", MayHaveLanded = true }, CancellationToken.None);

        Assert.Equal(resumed.Ts, Assert.Single(Slack.Workspace.Messages(_channel)).Ts);
        Assert.Equal(1, Slack.Calls.Count("conversations.history"));
        Assert.Equal(1, Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task Writes_go_as_json_with_charset_and_the_token_only_in_the_header()
    {
        await Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = _channel, Text = "hello" }, CancellationToken.None);
        await Client.Conversations.HistoryAsync(new HistoryRequest { Channel = _channel, Limit = 1 }, CancellationToken.None);

        var post = Slack.Calls.Last("chat.postMessage")!;
        var read = Slack.Calls.Last("conversations.history")!;
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.StartsWith("application/x-www-form-urlencoded", read.ContentType, StringComparison.Ordinal);
        Assert.True(post.Authorized && read.Authorized);
        Assert.DoesNotContain("warning", post.ResponseBody, StringComparison.Ordinal);
        Assert.False(post.Arguments.ContainsKey("token"));
    }

    [Fact]
    public async Task A_file_is_uploaded_in_slacks_two_steps_and_shared()
    {
        var content = "# 2017-09-21 - Consumer app outage\n"u8.ToArray();

        var shared = await Client.Files.UploadAsync(
            new FileUploadRequest { Filename = "postmortem.md", Title = "Post-mortem draft", Content = content, ChannelId = _channel },
            CancellationToken.None);

        var file = Assert.Single(Slack.Workspace.Files);
        Assert.Equal("# 2017-09-21 - Consumer app outage\n", file.ContentAsString);
        Assert.Equal(file.Id, Assert.Single(shared.Files).Id);
        Assert.Equal(["files.getUploadURLExternal", "files.completeUploadExternal"], Slack.Calls.All.Select(c => c.Method).Where(m => m.StartsWith("files.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_remaining_methods_speak_slacks_shapes()
    {
        var created = await Client.Conversations.CreateAsync(new CreateConversationRequest { Name = "inc-2017-09-21-db" }, CancellationToken.None);
        await Client.Conversations.InviteAsync(new InviteRequest { Channel = created.Channel.Id, Users = ["U0HENRY"] }, CancellationToken.None);
        await Client.Conversations.SetTopicAsync(new SetTopicRequest { Channel = created.Channel.Id, Topic = "SEV2: db" }, CancellationToken.None);
        var joined = await Client.Conversations.JoinAsync(new JoinRequest { Channel = created.Channel.Id }, CancellationToken.None);
        var taken = await Assert.ThrowsAsync<SlackApiException>(() => Client.Conversations.CreateAsync(new CreateConversationRequest { Name = "inc-2017-09-21-db" }, CancellationToken.None));
        var posted = await Client.Chat.PostMessageAsync(new PostMessageRequest { Channel = created.Channel.Id, Text = "hi" }, CancellationToken.None);
        await Client.Chat.UpdateAsync(new UpdateMessageRequest { Channel = created.Channel.Id, Ts = posted.Ts, Text = "hello" }, CancellationToken.None);
        var link = await Client.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = created.Channel.Id, MessageTs = posted.Ts }, CancellationToken.None);
        var ephemeral = await Client.Chat.PostEphemeralAsync(new PostEphemeralRequest { Channel = created.Channel.Id, User = "U0HENRY", Text = "only you" }, CancellationToken.None);
        await Client.Pins.AddAsync(new PinRequest { Channel = created.Channel.Id, Timestamp = posted.Ts }, CancellationToken.None);
        await Client.Reactions.AddAsync(new AddReactionRequest { Channel = created.Channel.Id, Timestamp = posted.Ts, Name = "pushpin" }, CancellationToken.None);
        var canvas = await Client.Canvases.CreateAsync(new CreateCanvasRequest { Title = "Post-mortem", Markdown = "# Draft", ChannelId = created.Channel.Id }, CancellationToken.None);
        var me = await Client.Auth.TestAsync(CancellationToken.None);

        Assert.Equal("name_taken", taken.ErrorCode);
        Assert.Equal("already_in_channel", joined.Warning);
        Assert.Contains(posted.Ts.Replace(".", "", StringComparison.Ordinal), link.Permalink, StringComparison.Ordinal);
        Assert.NotNull(ephemeral.MessageTs);
        Assert.StartsWith("F", canvas.CanvasId, StringComparison.Ordinal);
        Assert.Equal(Slack.Options.BotUserId, me.UserId);
        var channel = Slack.Workspace.GetChannel(created.Channel.Id);
        Assert.Equal("SEV2: db", channel.Topic.Value);
        Assert.Contains("U0HENRY", channel.Members);
        Assert.Equal("hello", Slack.Workspace.GetMessage(created.Channel.Id, posted.Ts).Text);
    }

    [Fact]
    public async Task Views_open_uses_a_fresh_trigger_and_refuses_a_used_one()
    {
        var trigger = Slack.Driver.IssueTriggerId("U0HENRY");
        var view = System.Text.Json.JsonDocument.Parse("""{"type":"modal","callback_id":"declare","title":{"type":"plain_text","text":"Declare"},"blocks":[]}""").RootElement;

        var opened = await Client.Views.OpenAsync(new OpenViewRequest { TriggerId = trigger, View = view }, CancellationToken.None);
        var reused = await Assert.ThrowsAsync<SlackApiException>(() => Client.Views.OpenAsync(new OpenViewRequest { TriggerId = trigger, View = view }, CancellationToken.None));

        Assert.StartsWith("V", opened.View.Id, StringComparison.Ordinal);
        Assert.Equal("exchanged_trigger_id", reused.ErrorCode);
    }
}
