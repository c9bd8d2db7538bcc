using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Telemetry;

/// <summary>The live incidents gauge is read from the table on each scrape: up on a declare, down on the close.</summary>
public sealed class LiveIncidentsMetricTests() : OpsChannelTestBase(TestPeople.Ana)
{
    private async Task<double> LiveAsync() => new PrometheusScrape(await Testbed.Bot.Management.GetStringAsync("metrics")).Sum("incidentbot_incidents_live");

    [Fact]
    public async Task A_live_incident_is_counted_until_it_closes()
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.SettleAsync();
        var whileLive = await LiveAsync();
        Time.Advance(TimeSpan.FromMinutes(5));

        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        await Testbed.SettleAsync();
        var afterClose = await LiveAsync();

        Assert.Equal(1, whileLive);
        Assert.Equal(0, afterClose);
    }
}
