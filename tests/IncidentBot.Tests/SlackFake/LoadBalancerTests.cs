using System.Text.Json;
using IncidentBot.SlackFake;

namespace IncidentBot.Tests.SlackFake;

/// <summary>The fake as Slack in front of a load balancer and two replicas of the bot: turns, retries elsewhere, late acks.</summary>
public sealed class LoadBalancerTests : FakeSlackTestBase
{
    private RecordingBot _first = null!;
    private RecordingBot _second = null!;

    // Longer than Slack's 3 seconds: no test here is about a timeout, and a replica's first answer, at the start of a
    // parallel test run, took over 2 s in CI (it was read as a timeout and retried on the other replica).
    protected override void Configure(FakeSlackOptions options) => options.AckTimeout = TimeSpan.FromSeconds(10);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _first = await RecordingBot.StartAsync();
        _second = await RecordingBot.StartAsync();
        Slack.ConnectBots(_first.BaseUrl, _second.BaseUrl);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Commands_and_events_go_to_each_replica_in_turn()
    {
        var channel = ChannelWithBot();

        var command = await Slack.Driver.SendSlashCommandAsync(Alice, channel, "/incident", "list");
        var first = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });
        var second = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Equal(
            [_first.BaseUrl, _second.BaseUrl, _first.BaseUrl],
            new[] { command.Delivery, first.Delivery, second.Delivery }.Select(d => d.Final.Replica));
        Assert.Equal(["slack/commands", "slack/events"], _first.Requests.Select(r => r.Path));
        Assert.Equal(second.EventId, EventId(Assert.Single(_first.Requests, r => r.Path == "slack/events")));
        Assert.Equal(first.EventId, EventId(Assert.Single(_second.Requests)));
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_on_the_other_replica()
    {
        _first.Reply = _ => new BotReply(Status: 503);

        var result = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Equal(
            [(0, _first.BaseUrl, "http_error"), (1, _second.BaseUrl, null)],
            result.Delivery.Attempts.Select(a => (a.RetryNum, a.Replica!, a.FailureReason)));
        Assert.Equal(("1", "http_error"), (Assert.Single(_second.Requests).Header("X-Slack-Retry-Num"), _second.Requests[0].Header("X-Slack-Retry-Reason")));
        Assert.True(result.Delivery.Succeeded);
    }

    [Fact]
    public async Task An_acknowledged_event_is_retried_once_on_the_other_replica_when_slack_saw_the_ack_too_late()
    {
        Slack.Options.RetryAcknowledgedEvents = AcknowledgedEventRetry.AfterTheAnswer;

        var first = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });
        var second = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.Equal(
            [(0, _first.BaseUrl, 200), (1, _second.BaseUrl, 200)],
            first.Delivery.Attempts.Select(a => (a.RetryNum, a.Replica!, a.StatusCode!.Value)));
        Assert.Equal(
            [(0, _first.BaseUrl), (1, _second.BaseUrl)],
            second.Delivery.Attempts.Select(a => (a.RetryNum, a.Replica!)).Order());
        Assert.Equal([first.EventId, second.EventId], _second.Requests.Select(EventId));
        Assert.All(_second.Requests, r => Assert.Equal(("1", "http_timeout"), (r.Header("X-Slack-Retry-Num"), r.Header("X-Slack-Retry-Reason"))));
        Assert.All(_first.Requests, r => Assert.Null(r.Header("X-Slack-Retry-Num")));
    }

    [Fact]
    public async Task An_event_can_be_retried_on_the_other_replica_while_the_first_still_answers()
    {
        Slack.Options.RetryAcknowledgedEvents = AcknowledgedEventRetry.WhileAnswering;
        var firstAnswering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var retryArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _first.Reply = _ =>
        {
            firstAnswering.TrySetResult();
            // The first replica answers only once the retry reached the other one: the two overlap for certain.
            return retryArrived.Task.Wait(TimeSpan.FromSeconds(1.5)) ? new BotReply() : new BotReply(Status: 500);
        };
        _second.Reply = _ =>
        {
            retryArrived.TrySetResult();
            return new BotReply();
        };

        var result = await Slack.Driver.SendEventAsync(new { type = "reaction_added" });

        Assert.True(firstAnswering.Task.IsCompleted);
        Assert.Equal(
            [(0, _first.BaseUrl, 200), (1, _second.BaseUrl, 200)],
            result.Delivery.Attempts.Select(a => (a.RetryNum, a.Replica!, a.StatusCode!.Value)));
        Assert.Equal(EventId(Assert.Single(_first.Requests)), EventId(Assert.Single(_second.Requests)));
    }

    private static string EventId(BotRequest request) => JsonDocument.Parse(request.Body).RootElement.Str("event_id");
}
