using System.Globalization;
using System.Net;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.SocketMode;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Slack.SocketMode;

/// <summary>
/// Socket Mode against the fake Slack: acks and redeliveries, reconnection around disconnects, drops and silence,
/// and the two ways it must stop rather than loop (Socket Mode switched off, a refused app token).
/// </summary>
public sealed class SocketModeServiceTests : IAsyncLifetime
{
    private readonly Received _received = new();
    private readonly CapturingLoggerProvider _logs = new();
    private SlackTestbed? _testbed;

    private SlackTestbed Testbed => _testbed ?? throw new InvalidOperationException("Start the testbed first.");
    private FakeSlackServer Slack => Testbed.Slack;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _received.Release();
        if (_testbed is not null)
        {
            await _testbed.DisposeAsync();
        }
    }

    [Fact]
    public async Task Envelopes_are_acked_on_the_connection_they_came_on_once_handled()
    {
        await StartAsync();

        var result = await SendMessageEventAsync("api is returning 500s");

        Assert.True(result.Delivery.Succeeded);
        var sent = Assert.Single(Slack.SocketMode.Envelopes);
        var ack = Assert.Single(Slack.SocketMode.Acks);
        Assert.Equal((sent.EnvelopeId, sent.ConnectionId, (System.Text.Json.JsonElement?)null), (ack.EnvelopeId, ack.ConnectionId, ack.Payload));
        Assert.Equal(["api is returning 500s"], _received.Texts);
    }

    [Fact]
    public async Task Envelopes_longer_than_one_receive_buffer_arrive_whole_between_short_ones()
    {
        await StartAsync();
        var paste = string.Concat(Enumerable.Repeat("a stack trace line of the pasted log 0123456789\n", 1000));

        var before = await SendMessageEventAsync("short, before");
        var pasted = await SendMessageEventAsync(paste);
        var after = await SendMessageEventAsync("short, after");

        Assert.True(paste.Length > 40 * 1024);
        Assert.All(new[] { before, pasted, after }, r => Assert.True(r.Delivery.Succeeded));
        Assert.Equal(["short, before", paste, "short, after"], _received.Texts);
    }

    [Fact]
    public async Task An_envelope_whose_ack_is_lost_is_redelivered_and_still_handled_once()
    {
        await StartAsync();
        Slack.SocketMode.LoseNextAcks(1);

        var result = await SendMessageEventAsync("db is down");

        Assert.Equal([null, 200], result.Delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal([0, 1], Slack.SocketMode.Envelopes.Select(e => e.RetryAttempt));
        Assert.Equal([true, false], Slack.SocketMode.Acks.Select(a => a.Lost));
        Assert.Equal(["db is down"], _received.Texts);
        Assert.Contains(_logs.Lines, l => l.Contains("was already handled here", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivery_that_arrives_while_the_first_is_still_being_handled_waits_for_it_and_is_not_handled_again()
    {
        await StartAsync();
        _received.Hold();

        var sending = SendMessageEventAsync("slow one");
        await Slack.SocketMode.WaitUntilAsync(s => s.Envelopes.Any(e => e.RetryAttempt == 1), "the redelivery");
        _received.Release();
        var result = await sending;

        Assert.True(result.Delivery.Succeeded);
        Assert.Equal(["slow one"], _received.Texts);
        Assert.NotEqual(Slack.SocketMode.Envelopes[0].ConnectionId, Slack.SocketMode.Envelopes[1].ConnectionId);
    }

    [Fact]
    public async Task A_failing_handler_is_not_acked_so_that_slack_delivers_the_envelope_again()
    {
        await StartAsync();
        _received.FailNext(1);

        var result = await SendMessageEventAsync("pin me");

        Assert.Equal([null, 200], result.Delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal([0, 1], _received.RetryNums);
        Assert.Single(Slack.SocketMode.Acks);
        Assert.Equal(["pin me"], _received.Texts);
    }

    [Fact]
    public async Task Refresh_requested_opens_the_new_connection_before_closing_the_old_and_loses_no_envelope()
    {
        await StartAsync(connections: 1);
        var old = Assert.Single(Slack.SocketMode.OpenConnections);

        await old.SendDisconnectAsync("refresh_requested");
        var aroundTheSwitch = SendMessageEventAsync("sent around the switch");
        await Slack.SocketMode.WaitUntilAsync(_ => !old.IsOpen, "the old connection to close");
        var replacement = Assert.Single(await Slack.SocketMode.WaitForOpenConnectionsAsync(1));
        var afterTheSwitch = await SendMessageEventAsync("sent after the switch");

        Assert.True((await aroundTheSwitch).Delivery.Succeeded);
        Assert.True(afterTheSwitch.Delivery.Succeeded);
        Assert.True(replacement.OpenedSequence < old.ClosedSequence, "the replacement said hello before the old connection closed");
        Assert.Equal("bot", old.ClosedBy);
        Assert.Equal(["sent after the switch", "sent around the switch"], _received.Texts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_warning_is_handled_like_a_refresh_and_the_bot_closes_the_old_connection_itself()
    {
        await StartAsync(connections: 1);
        var old = Assert.Single(Slack.SocketMode.OpenConnections);

        await old.SendDisconnectAsync("warning");
        await Slack.SocketMode.WaitUntilAsync(_ => !old.IsOpen, "the old connection to close");

        var replacement = Assert.Single(Slack.SocketMode.OpenConnections);
        Assert.True(replacement.OpenedSequence < old.ClosedSequence);
        Assert.Equal("bot", old.ClosedBy);
    }

    [Fact]
    public async Task A_dropped_connection_is_reopened_and_the_envelope_it_was_handling_is_acked_elsewhere_without_being_handled_twice()
    {
        await StartAsync();
        _received.Hold();
        var sending = SendMessageEventAsync("in flight");
        await _received.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var carrying = Slack.SocketMode.Connections.Single(c => c.Id == Slack.SocketMode.Envelopes[0].ConnectionId);

        carrying.Drop();
        _received.Release();
        var result = await sending;

        Assert.Equal([null, 200], result.Delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal(["in flight"], _received.Texts);
        var reopened = await Slack.SocketMode.WaitForOpenConnectionsAsync(2);
        Assert.DoesNotContain(carrying, reopened);
        Assert.True((await SendMessageEventAsync("after the drop")).Delivery.Succeeded);
    }

    [Fact]
    public async Task A_silent_connection_is_detected_on_the_clock_and_replaced_before_it_is_dropped()
    {
        var time = Clock.AtSeedIncident();
        await StartAsync(connections: 1, time: time);
        var silent = Assert.Single(Slack.SocketMode.OpenConnections);

        silent.GoSilent();
        var urls = Slack.SocketMode.UrlsIssued;
        await AdvanceUntilAsync(time, () => Slack.SocketMode.UrlsIssued > urls, "the bot to ask for a new connection");
        await Slack.SocketMode.WaitUntilAsync(_ => !silent.IsOpen, "the silent connection to be dropped");
        var afterwards = await SendMessageEventAsync("still heard");

        var replacement = Assert.Single(Slack.SocketMode.OpenConnections);
        Assert.True(replacement.OpenedSequence < silent.ClosedSequence);
        Assert.True(afterwards.Delivery.Succeeded);
        Assert.Equal(["still heard"], _received.Texts);
        var detected = Assert.Single(_logs.Lines, l => l.Contains("received nothing for", StringComparison.Ordinal));
        Assert.Contains("QuietSeconds=30", detected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_disabled_stops_socket_mode_with_one_clear_log_line_and_no_reconnects()
    {
        var time = Clock.AtSeedIncident();
        await StartAsync(time: time);
        var opened = Slack.SocketMode.UrlsIssued;

        await Slack.SocketMode.DisableAsync();
        await Slack.SocketMode.WaitUntilAsync(s => s.OpenConnections.Count == 0, "all connections to close");
        await AdvanceUntilAsync(time, () => false, "nothing", TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), throwOnLimit: false);

        Assert.Equal(opened, Slack.SocketMode.UrlsIssued);
        Assert.Single(_logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("link_disabled", StringComparison.Ordinal));
        using var health = await Testbed.Bot.Http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task A_wrong_app_token_gives_a_clear_error_at_start_and_is_not_retried()
    {
        var time = Clock.AtSeedIncident();
        await StartAsync(time: time, appToken: "xapp-1-A0FAKEAPP1-1-revoked", waitForSockets: false);

        await Slack.Calls.WaitForCallAsync("apps.connections.open");
        // Only once the bot has given up may fake time move: moving it while the first call is still in flight
        // (a loaded machine) would time that call out and make a retry that is the clock's doing, not the bot's.
        await Eventually.Until(() => _logs.Lines.Any(l => l.StartsWith("Critical", StringComparison.Ordinal)), "the bot to give up with a critical log line", () => string.Join('\n', _logs.Lines));

        await AdvanceUntilAsync(time, () => false, "nothing", TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), throwOnLimit: false);

        Assert.InRange(Slack.Calls.Count("apps.connections.open"), 1, 2);
        Assert.All(Slack.Calls.For("apps.connections.open"), c => Assert.Equal("invalid_auth", c.Error));
        var error = Assert.Single(_logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains("Check Slack:AppToken (Slack__AppToken)", error, StringComparison.Ordinal);
        Assert.Empty(Slack.SocketMode.Connections);
        using var health = await Testbed.Bot.Http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task Failed_connection_attempts_back_off_exponentially_with_jitter_on_the_clock()
    {
        var time = Clock.AtSeedIncident();
        await StartAsync(connections: 1, time: time, waitForSockets: false, refuse: 3);

        // Each failure logs the wait it chose; the clock moves by exactly that, so the next attempt is due then.
        var waits = new List<double>();
        for (var failure = 1; failure <= 3; failure++)
        {
            await Slack.SocketMode.WaitUntilAsync(_ => RetryWaits().Count == failure, $"failure {failure}");
            waits.Add(RetryWaits()[^1]);
            time.Advance(TimeSpan.FromSeconds(waits[^1]));
        }

        await Slack.SocketMode.WaitForOpenConnectionsAsync(1);
        Assert.InRange(waits[0], 0.5, 1.0);
        Assert.InRange(waits[1], 1.0, 2.0);
        Assert.InRange(waits[2], 2.0, 4.0);
        var times = Slack.Calls.For("apps.connections.open").Select(c => c.Time).ToList();
        Assert.Equal(waits, times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds), new ToleranceComparer(0.001));
    }

    [Fact]
    public async Task Healthz_is_ready_once_a_socket_is_open()
    {
        await StartAsync();
        var identity = Testbed.Bot.Services.GetRequiredService<SlackBotIdentity>();
        await Slack.SocketMode.WaitUntilAsync(_ => identity.IsKnown, "auth.test");

        using var health = await Testbed.Bot.Http.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(2, Testbed.Bot.Services.GetRequiredService<SocketModeStatus>().OpenConnections);
    }

    [Theory]
    [InlineData(1, 0.0, 0.5)]
    [InlineData(1, 1.0, 1.0)]
    [InlineData(3, 0.0, 2.0)]
    [InlineData(3, 1.0, 4.0)]
    [InlineData(12, 0.0, 15.0)]
    [InlineData(12, 1.0, 30.0)]
    public void Backoff_doubles_from_one_second_to_thirty_with_half_of_it_random(int failures, double random, double expectedSeconds)
    {
        Assert.Equal(expectedSeconds, SocketModeService.Backoff(failures, random).TotalSeconds, precision: 6);
    }

    private async Task StartAsync(
        int connections = 2, FakeTimeProvider? time = null, string? appToken = null, bool waitForSockets = true, int refuse = 0)
    {
        _testbed = await SlackTestbed.StartAsync(
            time,
            options => options with
            {
                AppToken = appToken ?? options.AppToken,
                Settings = new() { ["Slack:SocketConnections"] = connections.ToString(CultureInfo.InvariantCulture) },
                ConfigureServices = services =>
                {
                    services.AddSingleton(_received);
                    services.AddSingleton<ILoggerProvider>(_logs);
                },
                ConfigureSlack = slack => slack.AddEventHandler<MessageEvent, RecordingMessages>(),
            },
            BotTransport.SocketMode,
            slack =>
            {
                slack.Options.AckTimeout = TimeSpan.FromSeconds(1);
                slack.Options.EchoBotEvents = false;
                slack.SocketMode.RefuseNextConnections(refuse);
            },
            waitForSockets);
    }

    private List<double> RetryWaits() =>
        [.. _logs.Lines
            .Where(l => l.Contains("could not connect", StringComparison.Ordinal))
            .Select(l => double.Parse(System.Text.RegularExpressions.Regex.Match(l, @"DelaySeconds=([0-9.E-]+)").Groups[1].Value, CultureInfo.InvariantCulture))];

    private Task<EventDeliveryResult> SendMessageEventAsync(string text) =>
        Slack.Driver.SendEventAsync(new { type = "message", channel = "C0GENERAL", user = "U0ANA", text, ts = "1506000000.000100" });

    /// <summary>Moves the shared fake clock a step at a time, letting the bot and the fake run in between.</summary>
    private static async Task AdvanceUntilAsync(
        FakeTimeProvider time, Func<bool> condition, string what, TimeSpan? step = null, TimeSpan? limit = null, bool throwOnLimit = true)
    {
        var held = await Eventually.UntilOnClock(time, condition, step ?? TimeSpan.FromSeconds(1), limit ?? TimeSpan.FromMinutes(2));
        Assert.False(throwOnLimit && !held, $"Timed out (on the fake clock) waiting for {what}.");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    public sealed class Received
    {
        private readonly Lock _gate = new();
        private readonly List<string> _texts = [];
        private readonly List<int> _retryNums = [];
        private TaskCompletionSource _release = Completed();
        private int _failures;

        public TaskCompletionSource EnteredSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => EnteredSource.Task;

        public IReadOnlyList<string> Texts
        {
            get
            {
                lock (_gate)
                {
                    return [.. _texts];
                }
            }
        }

        public IReadOnlyList<int> RetryNums
        {
            get
            {
                lock (_gate)
                {
                    return [.. _retryNums];
                }
            }
        }

        public Task Gate
        {
            get
            {
                lock (_gate)
                {
                    return _release.Task;
                }
            }
        }

        /// <summary>Handlers wait until <see cref="Release"/>.</summary>
        public void Hold()
        {
            lock (_gate)
            {
                _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _release.TrySetResult();
            }
        }

        public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

        public void Record(string text, int retryNum)
        {
            lock (_gate)
            {
                _retryNums.Add(retryNum);
                if (_failures > 0)
                {
                    _failures--;
                    throw new InvalidOperationException("the database is down");
                }

                _texts.Add(text);
            }
        }

        private static TaskCompletionSource Completed()
        {
            var source = new TaskCompletionSource();
            source.SetResult();
            return source;
        }
    }

    private sealed class RecordingMessages(Received received, SlackRequestContext context) : IEventHandler<MessageEvent>
    {
        public async Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken)
        {
            received.EnteredSource.TrySetResult();
            await received.Gate;
            received.Record(slackEvent.Text ?? "", context.Delivery.RetryNum);
        }
    }
}
