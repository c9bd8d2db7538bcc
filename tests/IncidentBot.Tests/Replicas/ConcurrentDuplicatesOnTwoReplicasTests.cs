using System.Text.Json.Nodes;
using IncidentBot.DeadLetters;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack.Inbound;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Issue 13, "an event takes effect once", "a command takes effect once", "an incident channel is created once":
/// the same delivery handed to both replicas at the same moment, many times over, has one effect and one answer.
/// </summary>
public sealed class ConcurrentDuplicatesOnTwoReplicasTests : IAsyncLifetime
{
    private const string Ana = TestPeople.Ana;
    private const int Rounds = 8;

    private TwoReplicasInProcess _replicas = null!;
    private string _ops = "";

    public async Task InitializeAsync()
    {
        _replicas = await TwoReplicasInProcess.StartAsync(Clock.AtSeedIncident());
        TestPeople.AddTo(_replicas.Slack.Workspace, Ana);
        _ops = _replicas.Slack.Workspace.CreateChannel("ops", false, Ana, _replicas.Slack.Options.BotUserId).Id;
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();

    /// <summary>Declares an incident through replica A and lets it open its channel; returns the incident.</summary>
    private async Task<Incident> DeclareAsync(string title)
    {
        await _replicas.Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "start " + title);
        await _replicas.SettleAsync();
        return await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().SingleAsync(i => i.Title == title));
    }

    private static void AssertOneAnswer(InboundResult[] results)
    {
        Assert.All(results, r => Assert.Equal(InboundOutcome.Acknowledge, r.Outcome));
        Assert.NotNull(results[0].Answer);
        Assert.Equal(results[0].Answer!.Value.GetRawText(), results[1].Answer?.GetRawText());
    }

    [SkippableFact]
    public async Task Two_replicas_started_at_once_on_an_empty_database_share_one_schema_and_one_installation_id()
    {
        // Arrange and act: InitializeAsync started both at the same moment on a database with nothing in it.
        var ids = await Task.WhenAll(_replicas.Both.Select(r => r.Services.GetRequiredService<InstallationId>().GetAsync(CancellationToken.None)));

        // Assert: both migrated it (nothing pending for either), Hangfire's schema is there once, and one id tags
        // both replicas' posts, so neither takes the other's for a stranger's.
        foreach (var replica in _replicas.Both)
        {
            await using var scope = replica.Services.CreateAsyncScope();
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<IncidentBot.Storage.IncidentBotDbContext>().Database.GetPendingMigrationsAsync());
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(1, await _replicas.QueryAsync(db => db.Installation.CountAsync()));
        Assert.True(await _replicas.QueryAsync(db => db.Database.SqlQueryRaw<int>("""SELECT max("version") AS "Value" FROM hangfire."schema" """).SingleAsync()) > 0);
    }

    [SkippableFact]
    public async Task The_same_command_envelope_on_both_replicas_at_once_takes_effect_once_with_one_answer()
    {
        var incident = await DeclareAsync("Checkout down");

        for (var round = 1; round <= Rounds; round++)
        {
            // Act
            var results = await _replicas.HandleOnBothAsync(_replicas.CommandEnvelope(Ana, incident.ChannelId!, $"note round {round} of the race"));
            await _replicas.SettleAsync();

            // Assert: one entry, one echo in the channel, the same answer on both sides.
            AssertOneAnswer(results);
            var text = $"round {round} of the race";
            Assert.Equal(1, await _replicas.QueryAsync(db => db.TimelineEntries.CountAsync(e => e.IncidentId == incident.Id && e.Text.Contains(text))));
            Assert.Single(_replicas.Slack.Workspace.Messages(incident.ChannelId!), m => m.Text.Contains(text, StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public async Task The_same_start_command_on_both_replicas_at_once_declares_one_incident_and_creates_one_channel()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            // Act
            var results = await _replicas.HandleOnBothAsync(_replicas.CommandEnvelope(Ana, _ops, $"start Race {round}"));
            await _replicas.SettleAsync();

            // Assert
            AssertOneAnswer(results);
            var incidents = await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().Where(i => i.Title == $"Race {round}").ToListAsync());
            var incident = Assert.Single(incidents);
            Assert.Equal(IncidentStatus.Live, incident.Status);
            Assert.Equal(round, _replicas.Slack.Calls.Count("conversations.create"));
        }
    }

    [SkippableFact]
    public async Task One_incident_opened_on_both_replicas_at_once_gets_one_channel_and_one_card()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            // Arrange: declared through A, its opening taken from A's queue before it ran.
            await _replicas.Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", $"start Opening {round}");
            var opening = Assert.Single(_replicas.A.Jobs.Queued, j => j.Type == typeof(OpenIncidentChannelJob));
            _replicas.A.Jobs.Forget();

            // Act: both replicas run it at the same moment (a retry and the sweep's re-queue, each on its own replica).
            var before = _replicas.Slack.Calls.All.Count;
            await Task.WhenAll(_replicas.Both.Select(r => TwoReplicasInProcess.PerformAsync(r, opening)));
            await _replicas.SettleAsync();

            // Assert: each write of the opening made once (a second would be visible, or refused, in Slack).
            var incident = await _replicas.QueryAsync(db => db.Incidents.AsNoTracking().SingleAsync(i => i.Title == $"Opening {round}"));
            Assert.Equal(IncidentStatus.Live, incident.Status);
            var writes = _replicas.Slack.Calls.All.Skip(before).Select(c => c.Method)
                .Where(m => m is "conversations.create" or "conversations.invite" or "conversations.setTopic" or "chat.postMessage" or "pins.add")
                .GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(
                new Dictionary<string, int> { ["conversations.create"] = 1, ["conversations.invite"] = 1, ["conversations.setTopic"] = 1, ["chat.postMessage"] = 1, ["pins.add"] = 1 },
                writes);
            var said = _replicas.Slack.Workspace.Messages(incident.ChannelId!).Select(m => m.Text).ToList();
            Assert.NotEmpty(said);
            Assert.Equal(said.Distinct().Count(), said.Count);
        }
    }

    [SkippableFact]
    public async Task The_same_event_on_both_replicas_at_once_takes_effect_once()
    {
        var incident = await DeclareAsync("Checkout down");
        var channel = incident.ChannelId!;

        for (var round = 1; round <= Rounds; round++)
        {
            // Arrange: a message Ana posted, captured by the replica Slack delivered it to.
            var posted = await _replicas.Slack.Driver.PostMessageAsync(Ana, channel, $"db primary failed over, round {round}");
            await _replicas.SettleAsync();
            var reaction = new JsonObject
            {
                ["type"] = "reaction_added",
                ["user"] = Ana,
                ["reaction"] = "pushpin",
                ["item"] = new JsonObject { ["type"] = "message", ["channel"] = channel, ["ts"] = posted.Ts },
                ["item_user"] = Ana,
                ["event_ts"] = posted.Ts,
            };

            // Act: the same event_id to both, as Slack's retry landing on the other replica while the first still works.
            var answers = await _replicas.PostToBothAsync("slack/events", _replicas.EventBody(reaction, $"EvRACE{round:000}"), "application/json");
            await _replicas.SettleAsync();

            // Assert: both acknowledged; one entry, one ledger row, one capture reaction on the message in Slack.
            Assert.All(answers, a => Assert.Equal(200, a.Status));
            Assert.Equal(1, await _replicas.QueryAsync(db => db.TimelineEntries.CountAsync(e => e.SourceChannelId == channel && e.SourceTs == posted.Ts)));
            Assert.Equal(1, await _replicas.QueryAsync(db => db.ProcessedEvents.CountAsync(p => p.EventId == $"EvRACE{round:000}")));
            Assert.Single(_replicas.Slack.Calls.For("reactions.add"), c => c.Arguments.GetValueOrDefault("timestamp") == posted.Ts);
        }
    }

    [SkippableFact]
    public async Task A_burst_of_pins_on_both_replicas_queues_no_job_per_pin_and_shows_each_capture_once()
    {
        // Arrange: 20 messages in the incident, half delivered to each replica.
        var incident = await DeclareAsync("Checkout down");
        var channel = incident.ChannelId!;
        var said = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            _replicas.DeliverTo(_replicas.Both[i % 2]);
            said.Add((await _replicas.Slack.Driver.PostMessageAsync(Ana, channel, $"update {i}")).Ts);
        }

        await _replicas.SettleAsync();
        var before = _replicas.Slack.Calls.For("reactions.add").Count;

        // Act: every message pinned at once, the pins split between the replicas.
        var answers = await Task.WhenAll(said.Select((ts, i) =>
        {
            var body = _replicas.EventBody(new JsonObject
            {
                ["type"] = "reaction_added",
                ["user"] = Ana,
                ["reaction"] = "pushpin",
                ["item"] = new JsonObject { ["type"] = "message", ["channel"] = channel, ["ts"] = ts },
                ["item_user"] = Ana,
                ["event_ts"] = ts,
            }, $"EvBURST{i:000}");
            return _replicas.PostToAsync(_replicas.Both[i % 2], "slack/events", body, "application/json");
        }));
        var queuedDrains = _replicas.Both.Sum(r => r.Jobs.Queued.Count(j => j.Type == typeof(AcknowledgeCaptureJob)));
        await _replicas.SettleAsync();

        // Assert: the replicas drained in-process (no job per pin, nor one at all), and each message got its capture
        // reaction once, with nothing left asked for.
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(0, queuedDrains);
        var added = _replicas.Slack.Calls.For("reactions.add").Skip(before).Where(c => c.Ok == true).Select(c => c.Arguments.GetValueOrDefault("timestamp")).ToList();
        Assert.Equal(said.Order(), added.Order());
        Assert.Equal(0, await _replicas.QueryAsync(db => db.CaptureAcknowledgements.CountAsync()));
    }

    [SkippableFact]
    public async Task The_same_failing_event_dead_lettered_by_both_replicas_at_once_is_kept_once_and_acknowledged_by_both()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            // Arrange: Slack's last retries of one failing event, one on each replica.
            var letter = new DeadLetterDelivery("{}", "message", $"EvPOISON{round:000}", "slack/events", SlackInbound.DeadLetterFromRetry, "InvalidOperationException: boom");

            // Act
            var stored = await Task.WhenAll(_replicas.Both.Select(async replica =>
            {
                await Task.Yield();
                await using var scope = replica.Services.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<IDeadLetterBox>().StoreAsync(letter, CancellationToken.None);
                    return true;
                }
                catch (DbUpdateException)
                {
                    return false;
                }
            }));

            // Assert: both kept it (so both acknowledge, and Slack stops retrying), in one row.
            Assert.All(stored, Assert.True);
            Assert.Equal(1, await _replicas.QueryAsync(db => db.DeadLetters.CountAsync(l => l.EventId == letter.EventId)));
        }
    }

    [SkippableFact]
    public async Task A_replica_lock_held_on_one_replica_keeps_the_other_waiting_until_it_is_released_or_its_wait_is_over()
    {
        // Arrange
        var onA = _replicas.A.Services.GetRequiredService<IncidentBot.Storage.ReplicaLocks>();
        var onB = _replicas.B.Services.GetRequiredService<IncidentBot.Storage.ReplicaLocks>();
        var held = await onA.HoldAsync("delivery:envelope:probe", TimeSpan.FromSeconds(5), CancellationToken.None);

        // Act and assert: B gives up after its wait; another name is free; once A lets go, B has it.
        await Assert.ThrowsAsync<IncidentBot.Storage.ReplicaLockTimeoutException>(() => onB.HoldAsync("delivery:envelope:probe", TimeSpan.FromMilliseconds(300), CancellationToken.None));
        await (await onB.HoldAsync("delivery:envelope:other", TimeSpan.FromSeconds(5), CancellationToken.None)).DisposeAsync();
        var waiting = onB.HoldAsync("delivery:envelope:probe", TimeSpan.FromSeconds(10), CancellationToken.None);
        await held.DisposeAsync();
        await (await waiting).DisposeAsync();
    }

    [SkippableFact]
    public async Task Two_people_starting_an_incident_in_one_channel_on_both_replicas_at_once_get_one_incident()
    {
        // Arrange: incidents kept in the channel where they are declared, so the channel's open incident is unique.
        await using var replicas = await TwoReplicasInProcess.StartAsync(Clock.AtSeedIncident(), options => options.InDeclaringChannel());
        TestPeople.AddTo(replicas.Slack.Workspace, Ana);
        TestPeople.AddTo(replicas.Slack.Workspace, TestPeople.Ben);
        var channels = Enumerable.Range(1, Rounds)
            .Select(round => replicas.Slack.Workspace.CreateChannel($"war-room-{round}", false, Ana, TestPeople.Ben, replicas.Slack.Options.BotUserId).Id)
            .ToList();

        foreach (var channel in channels)
        {
            // Act: two deliveries, two people, one on each replica at the same moment.
            var results = await Task.WhenAll(
                TwoReplicasInProcess.HandleOnAsync(replicas.A, replicas.CommandEnvelope(Ana, channel, "start Checkout down")),
                TwoReplicasInProcess.HandleOnAsync(replicas.B, replicas.CommandEnvelope(TestPeople.Ben, channel, "start Checkout is down")));
            await replicas.SettleAsync();

            // Assert: one incident in the channel; one declarer told it is declared, the other that it is already live.
            Assert.Single(await replicas.QueryAsync(db => db.Incidents.AsNoTracking().Where(i => i.ChannelId == channel).ToListAsync()));
            var answers = results.Select(r => r.Answer!.Value.GetRawText()).ToList();
            Assert.Single(answers, a => a.Contains("is already live in this channel", StringComparison.Ordinal));
            Assert.All(results, r => Assert.Equal(InboundOutcome.Acknowledge, r.Outcome));
        }
    }
}
