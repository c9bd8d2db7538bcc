using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Telemetry;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Slack.WebApi;

/// <summary>The Web API counters, read with a <see cref="MeterListener"/> on this test's bot only (its own meter factory).</summary>
public sealed class SlackApiMetricsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = Clock.AtSeedIncident();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(_time);
        _testbed.Slack.Workspace.AddUser("U0HENRY", "henry", "Henry Clifford", "henry");
        var ours = _testbed.Bot.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IncidentBotMeter.Name && ReferenceEquals(instrument.Meter.Scope, ours))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _testbed.DisposeAsync();
    }

    private ISlackApiClient Client => _testbed.Bot.Services.GetRequiredService<ISlackApiClient>();

    private long Total(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    [Fact]
    public async Task A_429_counts_as_a_rate_limit_and_its_retry_is_counted_and_the_call_as_ok()
    {
        _testbed.Slack.Faults.Enqueue("users.info", Fault.RateLimited(retryAfterSeconds: 2));

        var call = Client.Users.InfoAsync(new UserInfoRequest { User = "U0HENRY" }, CancellationToken.None);
        await _time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.Equal(1, Total("incidentbot.slack.api.rate_limits", ("slack.method", "users.info")));
        Assert.Equal(1, Total("incidentbot.slack.api.retries", ("slack.method", "users.info"), ("reason", "rate_limited")));
        Assert.Equal(1, Total("incidentbot.slack.api.calls", ("slack.method", "users.info"), ("outcome", "ok")));
    }

    [Fact]
    public async Task A_refusal_counts_as_an_error_with_slacks_code_and_is_not_retried()
    {
        _testbed.Slack.Faults.Enqueue("users.info", Fault.Error("user_not_found"));

        await Assert.ThrowsAsync<SlackApiException>(() => Client.Users.InfoAsync(new UserInfoRequest { User = "U0HENRY" }, CancellationToken.None));

        Assert.Equal(1, Total("incidentbot.slack.api.calls", ("slack.method", "users.info"), ("outcome", "error"), ("slack.error", "user_not_found")));
        Assert.Equal(0, Total("incidentbot.slack.api.retries", ("slack.method", "users.info")));
    }
}
