using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.ExactlyOnce;

/// <summary>A slash command Slack delivers again over Socket Mode, after the bot restarted, has its effect once.</summary>
public sealed class RedeliveredCommandTests
{
    private const string Ana = "U0ANA00001";

    [Fact]
    public async Task A_socket_mode_start_redelivered_after_a_restart_declares_one_incident()
    {
        // Arrange: the bot's ack of the first delivery is lost, and Slack waits a little before delivering again. Each
        // incident gets its own channel, so a second declaration would not be refused as "already live here".
        await using var testbed = await SlackTestbed.StartAsync(
            transport: BotTransport.SocketMode,
            configureSlack: slack =>
            {
                slack.Options.EventRetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)];
                slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
            });
        var ops = testbed.Slack.Workspace.CreateChannel("ops", false, Ana, testbed.Slack.Options.BotUserId).Id;
        testbed.Slack.SocketMode.LoseNextAcks(1);

        // Act: the first delivery is handled; the bot restarts before Slack delivers the same envelope again.
        var sending = testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start Checkout down");
        await Eventually.Until(() => testbed.Slack.SocketMode.Acks.Any(ack => ack.Lost), "the bot to acknowledge the first delivery (the ack Slack never gets)");
        Assert.Equal(1, await testbed.QueryAsync(db => db.Incidents.CountAsync()));
        await testbed.RestartBotAsync();
        var result = await sending;

        // Assert: Slack delivered it twice, under one envelope id, and got an answer the second time; one incident.
        var envelopes = testbed.Slack.SocketMode.Envelopes.Where(e => e.Type == "slash_commands").ToList();
        Assert.True(envelopes.Count >= 2, $"Slack delivered the command {envelopes.Count} time(s)");
        Assert.Single(envelopes.Select(e => e.EnvelopeId).Distinct());
        Assert.True(result.Delivery.Succeeded);
        Assert.Equal(1, await testbed.QueryAsync(db => db.Incidents.CountAsync()));
        Assert.Contains("Declared INC-1", result.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
