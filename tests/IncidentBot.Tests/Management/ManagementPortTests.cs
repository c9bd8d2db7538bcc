using System.Net;
using System.Text.Json;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The port that faces Slack serves only <c>/slack/*</c> and <c>/healthz/*</c>; drafts, the jobs dashboard and health
/// details are on the management port (<c>Management:Urls</c>), told apart by the port a connection came in on.
/// </summary>
public sealed class ManagementPortTests() : OpsChannelTestBase(TestPeople.Ana)
{
    private async Task PublishADraftAsync()
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(5));
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        await Testbed.SettleAsync();
    }

    [Fact]
    public async Task The_draft_is_not_found_on_the_slack_facing_port_and_served_on_the_management_port()
    {
        await PublishADraftAsync();

        using var slackSide = await Testbed.Bot.Http.GetAsync("incidents/1/postmortem.md");
        using var managementSide = await Testbed.Bot.Management.GetAsync("incidents/1/postmortem.md");

        Assert.Equal(HttpStatusCode.NotFound, slackSide.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managementSide.StatusCode);
        Assert.Contains("Checkout down", await managementSide.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_header_naming_the_management_port_does_not_open_it_on_the_slack_facing_port()
    {
        await PublishADraftAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "incidents/1/postmortem.md");
        request.Headers.Host = Testbed.Bot.Management.BaseAddress!.Authority;

        using var response = await Testbed.Bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_says_only_its_status_to_slack_and_its_reasons_and_version_to_operators()
    {
        await Eventually.Until(() => Testbed.Bot.Services.GetRequiredService<IncidentBot.Slack.Handling.SlackBotIdentity>().IsKnown, "auth.test");

        var slackSide = await Testbed.Bot.Http.GetStringAsync("healthz/ready");
        var details = JsonDocument.Parse(await Testbed.Bot.Management.GetStringAsync("healthz/ready")).RootElement;

        Assert.Equal("Healthy", slackSide);
        Assert.Equal("Healthy", details.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(details.GetProperty("version").GetString()));
        Assert.Equal("Healthy", details.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Contains("Connected as", details.GetProperty("checks").GetProperty("slack").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_paths_are_not_found_on_the_slack_facing_port_and_slack_paths_not_on_the_management_port()
    {
        using var jobs = await Testbed.Bot.Http.GetAsync("jobs");
        using var anything = await Testbed.Bot.Http.GetAsync("metrics");
        using var slackOnManagement = await Testbed.Bot.Management.PostAsync("slack/events", new StringContent("{}"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (jobs.StatusCode, anything.StatusCode, slackOnManagement.StatusCode));
    }
}

/// <summary>Liveness never depends on Slack; readiness does.</summary>
public sealed class ProbesTests : IAsyncLifetime
{
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync() =>
        // Slack is down from the start: every auth.test answers 500.
        _testbed = await SlackTestbed.StartAsync(configureSlack: slack => slack.Faults.SetPersistent("auth.test", Fault.ServerError(500)));

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task Live_stays_up_while_slack_is_down_and_ready_does_not()
    {
        await Eventually.Until(() => _testbed.Slack.Calls.Count("auth.test") >= 1, "the bot to try auth.test");

        using var live = await _testbed.Bot.Http.GetAsync("healthz/live");
        using var ready = await _testbed.Bot.Http.GetAsync("healthz/ready");
        using var alias = await _testbed.Bot.Http.GetAsync("healthz");
        var details = JsonDocument.Parse(await _testbed.Bot.Management.GetStringAsync("healthz/live")).RootElement;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, alias.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", details.GetProperty("status").GetString());
    }
}
