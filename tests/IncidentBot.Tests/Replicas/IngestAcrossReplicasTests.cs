using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Scenarios;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Issue 13: two replicas on one PostgreSQL database record the seed incident exactly as one does, whichever replica
/// each delivery reaches and however often: over HTTP with every event retried on the other replica, after the first
/// answer or while it is given, and over Socket Mode with both replicas' connections open. The reference is a one-replica run over
/// HTTP, made in the same test on a database and a fake Slack of its own.
/// </summary>
[Collection(nameof(ReplicasCollection))]
public sealed class IngestAcrossReplicasTests
{
    private readonly Scenario _seed = SeedIncident.Create();

    [SkippableTheory]
    [InlineData(AcknowledgedEventRetry.AfterTheAnswer)]
    [InlineData(AcknowledgedEventRetry.WhileAnswering)]
    public async Task Events_alternating_between_two_replicas_and_each_retried_on_the_other_record_what_one_replica_records(AcknowledgedEventRetry retry)
    {
        // Arrange
        var reference = await RecordWithOneReplicaOverHttpAsync();
        await using var rig = await ReplicaRig.CreateAsync(BotTransport.Http, slack => slack.RetryAcknowledgedEvents = retry);
        await rig.StartReplicasAsync(2);

        // Act
        var run = await SeedRecord.PlayAsync(rig, _seed);
        await SeedRecord.SettleAsync(rig);

        // Assert: every event, Slack's echoes of the bot's own posts included, reached both replicas, the second time as
        // a retry (after the first answer, or overlapping it); the first deliveries went to both in turn.
        var replicas = rig.Bots.Select(b => b.BaseUrl).ToHashSet();
        var events = rig.Slack.Driver.Deliveries.Where(d => d.Path == "slack/events").ToList();
        Assert.True(events.Count > run.Events.Count, "Slack echoed none of the bot's own posts");
        Assert.All(events, d =>
        {
            Assert.Equal([(0, 200), (1, 200)], d.Attempts.Select(a => (a.RetryNum, a.StatusCode!.Value)));
            Assert.Equal(replicas, d.Attempts.Select(a => a.Replica!).ToHashSet());
        });
        Assert.Equal(replicas, run.Events.Select(e => e.Delivery.Attempts[0].Replica!).ToHashSet());

        var record = await SeedRecord.ReadAsync(rig, _seed, run);
        record.AssertSameAs(reference);
        Assert.Equal(18, record.Entries.Count);
        // What reached Slack, once each: the echoes and the channel's notices, the draft's message and its file.
        Assert.Equal(record.BotPosts.Distinct(), record.BotPosts);
        Assert.Equal(record.DraftPosts.Distinct(), record.DraftPosts);
        Assert.Single(record.DraftPosts, p => p.StartsWith("0 file(s): Post-mortem draft", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Over_socket_mode_with_both_replicas_connected_the_seed_records_what_it_records_over_http()
    {
        // Arrange
        var overHttp = await RecordWithOneReplicaOverHttpAsync();
        await using var rig = await ReplicaRig.CreateAsync(BotTransport.SocketMode);
        await rig.StartReplicasAsync(2);

        // Act
        var run = await SeedRecord.PlayAsync(rig, _seed);
        await SeedRecord.SettleAsync(rig);

        // Assert: both replicas' connections carried envelopes, each acknowledged the first time.
        var envelopes = rig.Slack.SocketMode.Envelopes;
        Assert.All(new[] { 0, 1 }, replica => Assert.Contains(envelopes, e => rig.ConnectionsOf(replica).Contains(e.ConnectionId)));
        Assert.All(envelopes, e => Assert.Equal(0, e.RetryAttempt));
        Assert.Equal(4, rig.Slack.SocketMode.OpenConnections.Count);

        var record = await SeedRecord.ReadAsync(rig, _seed, run);
        record.AssertSameAs(overHttp);
        Assert.Equal(18, record.Entries.Count);

        // Each command and interaction envelope is in the delivery ledger once.
        var handled = await rig.QueryAsync(db => db.HandledDeliveries.Select(d => d.Key).ToListAsync());
        Assert.Equal(
            envelopes.Where(e => e.Type != "events_api").Select(e => "envelope:" + e.EnvelopeId).Order(StringComparer.Ordinal),
            handled.Order(StringComparer.Ordinal));
    }

    private async Task<SeedRecord> RecordWithOneReplicaOverHttpAsync()
    {
        await using var rig = await ReplicaRig.CreateAsync(BotTransport.Http);
        await rig.StartReplicasAsync(1);
        var run = await SeedRecord.PlayAsync(rig, _seed);
        await SeedRecord.SettleAsync(rig);
        return await SeedRecord.ReadAsync(rig, _seed, run);
    }
}
