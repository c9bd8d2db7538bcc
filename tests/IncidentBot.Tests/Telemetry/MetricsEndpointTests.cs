using System.Net;
using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Telemetry;

/// <summary>What an operator's Prometheus sees after the seed incident, replayed from declare to published draft.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 19, 13, 0, 0, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync() =>
        _testbed = await SlackTestbed.StartAsync(_time, options => options.InDeclaringChannel());

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task PlaySeedAsync() =>
        await new ScenarioPlayer(_testbed.Slack, _time.SetUtcNow).PlayAsync(SeedIncident.Create(), afterStep: async (_, _) => await _testbed.SettleAsync());

    private async Task<PrometheusScrape> ScrapeAsync() => new(await _testbed.Bot.Management.GetStringAsync("metrics"));

    [Fact]
    public async Task The_seed_incident_moves_the_bots_metrics_on_the_management_port()
    {
        await PlaySeedAsync();

        var scrape = await ScrapeAsync();

        Assert.True(scrape.Sum("incidentbot_events_received_total", "slack_delivery_kind=\"event\"", "slack_delivery_type=\"message\"") > 0, "events received by type");
        Assert.True(scrape.Sum("incidentbot_events_received_total", "slack_delivery_kind=\"command\"", "slack_delivery_type=\"/incident\"") > 0, "commands received");
        Assert.True(scrape.Sum("incidentbot_commands_total", "incidentbot_subcommand=\"start\"", "outcome=\"ok\"") > 0, "commands by name");
        Assert.True(scrape.Sum("incidentbot_commands_total", "incidentbot_subcommand=\"moment\"") >= 3, "each moment counted");
        Assert.True(scrape.Sum("incidentbot_slack_api_calls_total", "slack_method=\"chat.postMessage\"", "outcome=\"ok\"") > 0, "Web API calls by method");
        Assert.True(scrape.Sum("incidentbot_outbox_sent_total", "incidentbot_outbox_kind=\"postmortem\"") > 0, "outbox writes by kind");
        Assert.True(scrape.Has("incidentbot_outbox_pending"), "outbox pending");
        Assert.True(scrape.Has("incidentbot_incidents_live"), "live incidents");
        Assert.Equal(0, scrape.Sum("incidentbot_incidents_live"));
        Assert.Equal(1, scrape.Sum("incidentbot_postmortem_publish_duration_seconds_count", "incidentbot_postmortem_version=\"first\""));
        Assert.True(scrape.Has("incidentbot_socketmode_connections"), "Socket Mode connections");
    }

    [Fact]
    public async Task Metrics_are_not_found_on_the_slack_facing_port()
    {
        using var slackSide = await _testbed.Bot.Http.GetAsync("metrics");
        using var managementSide = await _testbed.Bot.Management.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, slackSide.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managementSide.StatusCode);
    }
}
