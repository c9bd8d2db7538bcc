using IncidentBot.Incidents.Jobs;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Issue 13, "a command takes effect once", across replicas: Slack redelivers an unacknowledged Socket Mode envelope
/// on another connection, which may be another replica's. Each replica keeps one connection here, so that the
/// redelivery, which goes to a connection the envelope has not been on, goes to the other replica for certain.
/// Incidents get channels of their own, so a second declaration would not be refused as "already live here".
/// </summary>
[Collection(nameof(ReplicasCollection))]
public sealed class CommandsAcrossReplicasTests
{
    private const string Ana = "U0ANA00001";

    [SkippableFact]
    public async Task A_start_whose_ack_is_lost_and_which_the_other_replica_gets_again_declares_one_incident_with_one_answer()
    {
        // Arrange
        await using var rig = await StartAsync();
        var ops = OpsChannel(rig);
        rig.Slack.SocketMode.LoseNextAcks(1);

        // Act
        var result = await rig.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start Checkout down");

        // Assert: handled by one replica, whose ack was lost; delivered again to the other, which answered from the ledger
        // (or, on a machine so loaded that the first was still handling it, lost the race to it and said so).
        Assert.Equal([(0, "timeout"), (1, null)], result.Delivery.Attempts.Select(a => (a.RetryNum, a.FailureReason)));
        AssertOnBothReplicas(rig, result.Delivery);
        AssertOneAnswer(rig, result.Delivery, "Declared INC-1");
        await AssertOneReplicaAnsweredFromTheLedgerAsync(rig);
        await AssertOneIncidentOpenedAsync(rig);
    }

    [SkippableFact]
    public async Task A_start_both_replicas_handle_at_the_same_time_declares_one_incident_with_one_answer()
    {
        // Arrange: inserts into the incidents table wait on the test's lock, so the first replica is still handling the
        // command when Slack's ack deadline passes and the other replica gets it too.
        await using var rig = await StartAsync();
        var ops = OpsChannel(rig);
        await using var blocker = new NpgsqlConnection(rig.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await Execute(blocker, """LOCK TABLE "Incidents" IN SHARE MODE""");

        // Act: both replicas wait on the lock with the same command; then it is let go.
        var sending = rig.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start Checkout down");
        // One waits for the table, the other for the first one's uncommitted ledger row, or both for the table.
        await Eventually.Until(
            async () => rig.Slack.SocketMode.Envelopes.Count(e => e.Type == "slash_commands") == 2 && await Scalar(blocker, """
                SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE NOT l.granted AND a.datname = current_database()
                """) == 2,
            "both replicas to wait on the lock with the command",
            () => string.Join(" | ", rig.Slack.SocketMode.Envelopes) + "\n" + rig.Output);
        await hold.RollbackAsync();
        var result = await sending;

        // Assert: both had it; the one that came second gave no answer of its own, only the first one's from the ledger.
        Assert.True(result.Delivery.Succeeded, rig.Output);
        AssertOnBothReplicas(rig, result.Delivery);
        await AssertOneReplicaAnsweredFromTheLedgerAsync(rig);
        AssertOneAnswer(rig, result.Delivery, "Declared INC-1");
        await AssertOneIncidentOpenedAsync(rig);
    }

    [SkippableFact]
    public async Task A_declare_modal_submitted_once_and_delivered_again_to_the_other_replica_declares_one_incident()
    {
        // Arrange: the declare modal, opened by /incident start without a title, with a title typed in.
        await using var rig = await StartAsync();
        var ops = OpsChannel(rig);
        var opened = await rig.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start");
        Assert.True(opened.Delivery.Succeeded);
        var view = rig.Slack.Driver.OpenViewOf(Ana) ?? throw new InvalidOperationException("No declare modal was opened.\n" + rig.Output);
        var title = ModalReading.Input(view.View, "Title");
        rig.Slack.Driver.SetViewValue(Ana, view.Id, title.BlockId, title.ActionId, "Checkout down");
        rig.Slack.SocketMode.LoseNextAcks(1);

        // Act
        var submitted = await rig.Slack.Driver.SubmitViewAsync(Ana, view.Id);

        // Assert
        var submission = rig.Slack.Driver.Deliveries.Single(d => d.Path == FakeSlackDriver.InteractionsPath && d.RequestBody.Contains("view_submission", StringComparison.Ordinal));
        Assert.Equal([(0, "timeout"), (1, null)], submission.Attempts.Select(a => (a.RetryNum, a.FailureReason)));
        AssertOnBothReplicas(rig, submission);
        Assert.Null(rig.Slack.Driver.OpenViewOf(Ana));
        Assert.NotNull(submitted);
        await AssertOneIncidentOpenedAsync(rig);
    }

    private static async Task<ReplicaRig> StartAsync()
    {
        var rig = await ReplicaRig.CreateAsync(BotTransport.SocketMode, slack => slack.EventRetryDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
        try
        {
            rig.Slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
            await rig.StartReplicasAsync(2, socketConnections: 1, dedicatedChannels: true);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private static string OpsChannel(ReplicaRig rig) => rig.Slack.Workspace.CreateChannel("ops", false, Ana, rig.Slack.Options.BotUserId).Id;

    private static int ReplicaOf(ReplicaRig rig, int connectionId) => rig.ConnectionsOf(0).Contains(connectionId) ? 0 : 1;

    /// <summary>The envelope went to both replicas (each keeps one connection): the first attempt to one, a later one to the other.</summary>
    private static void AssertOnBothReplicas(ReplicaRig rig, DeliveryResult delivery)
    {
        var sent = rig.Slack.SocketMode.Envelopes.Where(e => e.EnvelopeId == delivery.EnvelopeId).ToList();
        Assert.Equal([0, 1], sent.Select(e => ReplicaOf(rig, e.ConnectionId)).Distinct().Order());
    }

    /// <summary>Every ack Slack got for the envelope carries the same answer, the one the command's result holds.</summary>
    private static void AssertOneAnswer(ReplicaRig rig, DeliveryResult delivery, string answer)
    {
        var acks = rig.Slack.SocketMode.Acks.Where(a => a.EnvelopeId == delivery.EnvelopeId && !a.Lost).ToList();
        Assert.NotEmpty(acks);
        var texts = acks.Select(a => a.Payload?.GetProperty("text").GetString()).Distinct().ToList();
        Assert.Single(texts);
        Assert.Contains(answer, texts[0], StringComparison.Ordinal);
        Assert.Contains(answer, delivery.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A replica said it answered with what the ledger recorded for another handling: found there once the other had
    /// finished (or, waiting for it, once it let go), or learnt there after both handled it at once and its own key
    /// came second.
    /// </summary>
    private static Task AssertOneReplicaAnsweredFromTheLedgerAsync(ReplicaRig rig) =>
        Eventually.Until(
            () => rig.Bots.Count(b => b.Output.Contains("is in the delivery ledger; acknowledged with its recorded answer", StringComparison.Ordinal)
                                      || b.Output.Contains("was handled at the same time elsewhere (another replica)", StringComparison.Ordinal)) == 1,
            "one replica to say it answered from the delivery ledger",
            () => rig.Output);

    /// <summary>One incident, and once its channel is open, one channel made for it with one announcement.</summary>
    private static async Task AssertOneIncidentOpenedAsync(ReplicaRig rig)
    {
        await Eventually.Until(
            () => rig.QueryAsync(db => db.Outbox.AnyAsync(o => o.Key == OpenIncidentChannelJob.OutboxKey(1, "announcement") && o.SentAt != null)),
            "the incident's channel to open",
            () => rig.Output);
        Assert.Equal(1, await rig.QueryAsync(db => db.Incidents.CountAsync()));
        var channel = Assert.Single(rig.Slack.Workspace.Channels, c => c.Name.StartsWith("inc-", StringComparison.Ordinal));
        Assert.Equal(1, rig.Slack.Calls.Count("conversations.create"));
        Assert.Single(rig.Slack.Workspace.Messages(channel.Id), m => m.Text.Contains("INC-1 declared", StringComparison.Ordinal));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
