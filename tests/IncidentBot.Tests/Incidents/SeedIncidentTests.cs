using IncidentBot.Incidents;
using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// The seed incident, replayed through the fake Slack exactly as Slack would deliver it, with the incident living in
/// the channel where it was declared (so the earliest pinned message predates the incident and must be fetched).
/// </summary>
public sealed class SeedIncidentTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 19, 13, 0, 0, TimeSpan.Zero));
    private readonly Scenario _seed = SeedIncident.Create();
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync() =>
        _testbed = await SlackTestbed.StartAsync(_time, options => options.InDeclaringChannel());

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private ScenarioPlayer Player => new(_testbed.Slack, _time.SetUtcNow);

    private static DateTime Utc(int day, int hour, int minute, int second) => new(2017, 9, day, hour, minute, second, DateTimeKind.Utc);

    /// <summary>What the seed must leave on the timeline, whatever the delivery: five messages plus the lifecycle (the story commands included).</summary>
    private static readonly (DateTime At, EntryKind Kind, string Author, string Text)[] ExpectedTimeline =
    [
        (Utc(19, 14, 0, 0), EntryKind.Message, SeedIncident.Henry, "Major release is live in production, and the data migration ran with it. QA signed off on staging builds against the staging APIs."),
        (Utc(20, 6, 5, 30), EntryKind.Lifecycle, SeedIncident.Henry, "Incident declared: Consumer app outage"),
        (Utc(20, 6, 6, 10), EntryKind.Lifecycle, SeedIncident.Henry, "Severity set to SEV1"),
        (Utc(20, 6, 7, 0), EntryKind.Lifecycle, SeedIncident.Henry, "Key moment set by hand: detected 2017-09-20 06:04 UTC"),
        (Utc(20, 6, 8, 12), EntryKind.Message, SeedIncident.Damian, "The consumer API is answering 500 (Internal Server Error) to most consumer requests."),
        (Utc(20, 6, 21, 33), EntryKind.Message, SeedIncident.Damian, "Josh and I pointed the production iOS client at consumer-staging, which runs the latest master: it works. Master is good."),
        (Utc(20, 6, 27, 0), EntryKind.Lifecycle, SeedIncident.Henry, "Key moment set by hand: started 2017-09-19 14:00 UTC"),
        (Utc(20, 6, 42, 18), EntryKind.Message, SeedIncident.Henry, "Updated consumer-api to master. Damian has started the elasticsearch rebuild."),
        (Utc(20, 6, 49, 51), EntryKind.Message, SeedIncident.Priya, "Confirmed: the consumer app works again."),
        (Utc(20, 6, 51, 0), EntryKind.Lifecycle, SeedIncident.Henry, "Key moment set by hand: mitigated 2017-09-20 06:49 UTC"),
        (Utc(20, 6, 53, 30), EntryKind.Lifecycle, SeedIncident.Henry, "Description set: The release of 19 September ran a data migration that dropped some deprecated…"),
        (Utc(20, 6, 54, 0), EntryKind.Lifecycle, SeedIncident.Henry, "Impact set: Most people using the consumer app could not use it: its screens failed to load…"),
        (Utc(20, 6, 54, 30), EntryKind.Lifecycle, SeedIncident.Henry, $"Meeting set: {SeedIncident.Meeting}"),
        (Utc(20, 6, 55, 0), EntryKind.Lifecycle, SeedIncident.Henry, "Incident resolved"),
    ];

    private async Task AssertSeedRecordedAsync()
    {
        var incident = await _testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("Consumer app outage", IncidentStatus.Closed, SeedIncident.Henry, "SEV1"), (incident.Title, incident.Status, incident.LeaderUserId, incident.Severity));
        Assert.Equal(Utc(20, 6, 5, 30), incident.DeclaredAt);
        Assert.Equal(Utc(20, 6, 55, 0), incident.ClosedAt);

        var entries = await _testbed.TimelineAsync(incident.Id);
        var timeline = entries.Where(e => e.Section == TimelineSection.Timeline).ToList();
        Assert.Equal(ExpectedTimeline, timeline.Select(e => (e.OccurredAt, e.Kind, e.AuthorUserId!, e.Text)));
        Assert.All(timeline, e => Assert.Equal(DateTimeKind.Utc, e.OccurredAt.Kind));
        Assert.All(timeline, e => Assert.False(e.Pending));

        // Josh's finding, as the lead corrected it in review; what Josh wrote is kept.
        Assert.Equal(
            [(TimelineSection.ContributingFactors, SeedIncident.Josh, SeedIncident.CorrectedFactor, "Found it: the migration deprecated some enums. Mongo no longer has them, but elasticsearch still does, and elasticsearch was never rebuilt after the migration.")],
            entries.Where(e => e.Section == TimelineSection.ContributingFactors).Select(e => (e.Section, e.AuthorUserId!, e.Text, e.OriginalText)));
        Assert.Equal(
            [SeedIncident.Henry],
            entries.Where(e => e.Section == TimelineSection.StabilizationSteps).Select(e => e.AuthorUserId!));
        Assert.Equal(
            [
                (EntryKind.Note, SeedIncident.Henry, "Run QA against the production app before a release, so a missed elasticsearch rebuild is caught early."),
                (EntryKind.Message, SeedIncident.Damian, "We should write migration runbooks ahead of time and review them together, so no step gets missed."),
            ],
            entries.Where(e => e.Section == TimelineSection.CorrectiveActions).Select(e => (e.Kind, e.AuthorUserId!, e.Text)));
    }

    [Fact]
    public async Task The_seed_incident_leaves_exactly_its_five_pinned_messages_and_lifecycle_on_the_timeline()
    {
        await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync());

        await AssertSeedRecordedAsync();
    }

    [Fact]
    public async Task Every_event_delivered_three_times_records_once()
    {
        await Player.PlayAsync(_seed, afterStep: async (_, run) =>
        {
            // Slack retries with the same body and event_id; here every event is retried twice.
            foreach (var delivery in run.Events.ToList())
            {
                for (var retry = 1; retry <= 2; retry++)
                {
                    var again = await _testbed.Slack.Driver.SendRawAsync(
                        "slack/events", delivery.Delivery.RequestBody, "application/json",
                        headers: new Dictionary<string, string> { ["X-Slack-Retry-Num"] = $"{retry}", ["X-Slack-Retry-Reason"] = "http_timeout" });
                    Assert.Equal(200, again.StatusCode);
                }
            }

            run.Events.Clear();
            await _testbed.SettleAsync();
        });

        await AssertSeedRecordedAsync();
        // 10 section reactions in the seed, less the pin taken back from the chatter: 9 rows, one each, never three.
        var reactions = await _testbed.QueryAsync(db => db.EntryReactions.CountAsync());
        Assert.Equal(9, reactions);
        Assert.Equal(_seed.Steps.OfType<React>().Count() - _seed.Steps.OfType<Unreact>().Count(), reactions);
    }

    [Fact]
    public async Task A_restart_in_mid_incident_loses_nothing_not_even_unfinished_jobs()
    {
        var firstHalf = _seed.Steps.TakeWhile(s => s.At < new DateTimeOffset(2017, 9, 20, 6, 30, 0, TimeSpan.Zero)).ToList();
        var run = await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync(), steps: firstHalf);

        // The pin on the pre-incident message is acknowledged; the job that fetches its text has not run yet.
        var pinRelease = _seed.Steps.OfType<React>().Single(r => r.Label == "release");
        await Player.PlayAsync(_seed, steps: [pinRelease], resume: run);
        Assert.True(_testbed.Bot.Jobs.Pending > 0);

        await _testbed.RestartBotAsync();
        await _testbed.SettleAsync();
        await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync(), steps: _seed.Steps.Skip(firstHalf.Count + 1), resume: run);

        await AssertSeedRecordedAsync();
    }

    [Fact]
    public async Task The_pre_incident_message_is_fetched_from_history_at_its_own_time()
    {
        await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync());

        // The other history calls are the bot looking for its own posts before sending them (exactly once).
        var fetch = Assert.Single(_testbed.Slack.Calls.For("conversations.history"), c => c.Argument("latest") is not null);
        Assert.Equal("true", fetch.Argument("inclusive"));
        Assert.Equal("1", fetch.Argument("limit"));
        Assert.Equal("1505829600.000000", fetch.Argument("latest"));
    }

    [Fact]
    public async Task Lifecycle_changes_and_commands_are_echoed_into_the_channel_once_each()
    {
        var run = await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync());

        var declared = run.Commands[0];
        Assert.Equal("in_channel", declared.Json!.Value.GetProperty("response_type").GetString());
        Assert.Contains("INC-1 declared: *Consumer app outage*", declared.Json.Value.GetProperty("text").GetString(), StringComparison.Ordinal);

        var inChannel = _testbed.Slack.Calls.For("chat.postMessage").Where(c => c.Argument("channel") == run.ChannelId).Select(c => c.Argument("text")).ToList();
        // The incident card is the bot's one other post there (kept current in place), not an echo.
        Assert.Single(inChannel, t => t!.Contains("INC-1 declared:", StringComparison.Ordinal));
        var echoes = inChannel.Where(t => !t!.Contains("post-mortem draft", StringComparison.Ordinal) && !t.Contains("INC-1 declared:", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, echoes.Count); // severity, three key moments, description, impact, meeting, the action, the close
        Assert.Single(inChannel, t => t!.Contains("post-mortem draft", StringComparison.Ordinal));
        Assert.Contains(echoes, t => t!.Contains("Severity set to SEV1", StringComparison.Ordinal));
        Assert.Contains(echoes, t => t!.Contains("Corrective action from <@U0HENRY001>: Run QA", StringComparison.Ordinal));
        Assert.Contains(echoes, t => t!.Contains("Incident resolved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_of_the_people_on_the_timeline_are_looked_up_once_and_kept()
    {
        await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync());

        var people = await _testbed.QueryAsync(db => db.People.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync());
        Assert.Equal(["Damian Okafor", "Henry Clifford", "Josh Pereira", "Priya Raman"], people);
        Assert.Equal(4, _testbed.Slack.Calls.Count("users.info"));
    }

    [Fact]
    public async Task Chatter_and_thread_replies_are_kept_as_messages_but_not_put_on_the_timeline()
    {
        var run = await Player.PlayAsync(_seed, afterStep: async (_, _) => await _testbed.SettleAsync());

        var messages = await _testbed.QueryAsync(db => db.Messages.ToListAsync());
        var reply = Assert.Single(messages, m => m.Ts == run.Ts("chatter-reply"));
        Assert.Equal(run.Ts("chatter"), reply.ThreadTs);
        Assert.DoesNotContain(messages, m => m.Ts == run.Ts("release"));
        Assert.DoesNotContain(messages, m => m.UserId == _testbed.Slack.Options.BotUserId || m.UserId == _testbed.Slack.Options.BotId);
        var timeline = await _testbed.QueryAsync(db => db.TimelineEntries.Select(e => e.SourceTs).ToListAsync());
        Assert.DoesNotContain(run.Ts("chatter"), timeline);
    }
}
