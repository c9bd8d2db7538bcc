using IncidentBot.Incidents;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Storage;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// Issue 14's "Done when", correctness only: under many concurrent senders (the group commit's batches on SQLite, the
/// one-statement capture in parallel on PostgreSQL), every message Slack was answered 200 for is stored, once; and a
/// kill -9 in the middle of the burst loses none of them. Each test runs on both providers.
/// </summary>
public sealed class ConcurrentIngestTests : BotProcessTestBase
{
    private const int Senders = 64;
    private const string Ana = TestPeople.Ana;

    private string _ops = "";
    private PostgreSqlTestDatabase? _postgres;

    public static TheoryData<string> Providers => [StorageProviders.Sqlite, StorageProviders.PostgreSql];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private async Task UseAsync(string provider)
    {
        if (provider == StorageProviders.PostgreSql)
        {
            _postgres = await PostgreSqlTestDatabase.CreateAsync();
        }
    }

    private async Task<BotProcess> StartBotAsync()
    {
        var options = (BotHostOptions.ConnectedTo(Slack) with { DatabasePath = DatabasePath }).InDeclaringChannel();
        foreach (var (key, value) in _postgres?.Settings ?? [])
        {
            options.Settings[key] = value;
        }

        var bot = await BotProcess.StartAsync(options);
        Bots.Add(bot);
        Slack.ConnectBot(bot.BaseUrl);
        return bot;
    }

    private async Task DeclareInOpsAsync()
    {
        TestPeople.AddTo(Slack.Workspace, Ana);
        _ops = Slack.Workspace.CreateChannel("ops", false, Ana, Slack.Options.BotUserId).Id;
        await Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "start Checkout down");
        await Eventually.Until(() => QueryAsync(db => db.Incidents.AnyAsync(i => i.ChannelId == _ops && i.Status == IncidentStatus.Live)), "the incident live in #ops");
    }

    /// <summary>Each sender posts its messages one after the other, all senders at once.</summary>
    private async Task<List<HumanActionResult>> BurstAsync(int perSender, Func<int, bool>? keepGoing = null, Action<HumanActionResult>? answered = null)
    {
        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            var sent = new List<HumanActionResult>();
            for (var i = 0; i < perSender && (keepGoing?.Invoke(s) ?? true); i++)
            {
                var result = await Slack.Driver.PostMessageAsync(Ana, _ops, $"sender {s} message {i}");
                answered?.Invoke(result);
                sent.Add(result);
            }

            return sent;
        }));
        return [.. (await Task.WhenAll(senders)).SelectMany(s => s)];
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public async Task Sixty_four_concurrent_senders_each_acknowledged_message_is_stored_once_and_a_redelivery_adds_nothing(string provider)
    {
        // Arrange
        await UseAsync(provider);
        await StartBotAsync();
        await DeclareInOpsAsync();

        // Act: the burst, then every event delivered again at once (Slack's retry after a lost answer).
        var sent = await BurstAsync(perSender: 4);
        var redelivered = await Task.WhenAll(sent.Select(s => Slack.Driver.SendRawAsync(
            FakeSlackDriver.EventsPath, s.Deliveries[0].Delivery.RequestBody, "application/json",
            headers: new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" })));

        // Assert: all 256 answered 200 (twice), each stored once, with its text and author, and the ledger has one row each.
        Assert.Equal(Senders * 4, sent.Count);
        Assert.All(sent, s => Assert.Equal(200, s.StatusCode));
        Assert.All(redelivered, r => Assert.Equal(200, r.StatusCode));
        var stored = await QueryAsync(db => db.Messages.AsNoTracking().Where(m => m.ChannelId == _ops).ToListAsync());
        var byTs = stored.Where(m => m.UserId == Ana).GroupBy(m => m.Ts).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(sent, s => Assert.Equal(s.Message!.Text, Assert.Single(byTs[s.Ts]).Text));
        Assert.Equal(sent.Count, byTs.Count);
        var ledger = await QueryAsync(db => db.ProcessedEvents.Where(p => p.Consumer == "CaptureMessageWhenPosted").Select(p => p.EventId).ToListAsync());
        Assert.Equal(sent.Select(s => s.EventId!).Order(), ledger.Order());
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public async Task A_message_outside_a_live_incident_is_answered_and_writes_nothing_not_even_its_ledger_row(string provider)
    {
        // Arrange: #ops with a live incident, #random with none, and #ops again once its incident is closed.
        await UseAsync(provider);
        await StartBotAsync();
        await DeclareInOpsAsync();
        var random = Slack.Workspace.CreateChannel("random", false, Ana, Slack.Options.BotUserId).Id;
        var during = await Slack.Driver.PostMessageAsync(Ana, _ops, "the checkout is down");
        var elsewhere = await Slack.Driver.PostMessageAsync(Ana, random, "lunch?");
        await Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "close");
        await Eventually.Until(() => QueryAsync(db => db.Incidents.AnyAsync(i => i.ChannelId == _ops && i.Status != IncidentStatus.Live)), "the incident closed");

        // Act
        var after = await Slack.Driver.PostMessageAsync(Ana, _ops, "all good now");

        // Assert: all three answered 200; only the message of the live incident is kept, and only its event is in the ledger.
        Assert.All(new[] { during, elsewhere, after }, s => Assert.Equal(200, s.StatusCode));
        var kept = await QueryAsync(db => db.Messages.Where(m => m.UserId == Ana).Select(m => m.Ts).ToListAsync());
        Assert.Equal(during.Ts, Assert.Single(kept));
        var ledger = await QueryAsync(db => db.ProcessedEvents.Where(p => p.Consumer == "CaptureMessageWhenPosted").Select(p => p.EventId).ToListAsync());
        Assert.Equal(during.EventId, Assert.Single(ledger));
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public async Task A_bot_killed_in_the_middle_of_a_burst_has_every_acknowledged_message_after_a_restart_and_none_twice(string provider)
    {
        // Arrange: no retries, so what the dead process could not take stays failed until we redeliver it.
        await UseAsync(provider);
        var first = await StartBotAsync();
        await DeclareInOpsAsync();
        Slack.Options.EventRetryDelays = [];
        using var killed = new CancellationTokenSource();
        var acknowledgedSoFar = 0;
        // Counted as the senders get their 200s, not from the table: a batch is visible there a moment before its
        // requests are answered, and a kill in that moment leaves them stored but unanswered.
        var killing = Task.Run(async () =>
        {
            await Eventually.Until(() => Volatile.Read(ref acknowledgedSoFar) >= 100, "100 messages acknowledged");
            await first.KillAsync();
            await killed.CancelAsync();
        });

        // Act: the senders go on until a while after the kill, so that some requests were in flight when it came.
        var sent = await BurstAsync(perSender: 1000, keepGoing: _ => !killed.IsCancellationRequested,
            answered: result =>
            {
                if (result.StatusCode == 200)
                {
                    Interlocked.Increment(ref acknowledgedSoFar);
                }
            });
        await killing;
        var acknowledged = sent.Where(s => s.StatusCode == 200).ToList();
        var refused = sent.Where(s => s.StatusCode != 200).ToList();
        await StartBotAsync();
        var redelivered = await Task.WhenAll(sent.Select(s => Slack.Driver.SendRawAsync(
            FakeSlackDriver.EventsPath, s.Deliveries[0].Delivery.RequestBody, "application/json",
            headers: new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "connection_failed" })));

        // Assert: the kill came mid-burst (some answered, some not), everything answered before it survived it, and
        // after the redelivery every message is there once, the ledger holding one row per event.
        Assert.True(acknowledged.Count >= 100, $"{acknowledged.Count} acknowledged");
        Assert.NotEmpty(refused);
        Assert.All(redelivered, r => Assert.Equal(200, r.StatusCode));
        var stored = await QueryAsync(db => db.Messages.AsNoTracking().Where(m => m.ChannelId == _ops && m.UserId == Ana).Select(m => m.Ts).ToListAsync());
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(acknowledged.Select(s => s.Ts).Except(stored));
        Assert.Equal(sent.Select(s => s.Ts).Order(), stored.Order());
        var ledger = await QueryAsync(db => db.ProcessedEvents.Where(p => p.Consumer == "CaptureMessageWhenPosted").Select(p => p.EventId).ToListAsync());
        Assert.Equal(sent.Select(s => s.EventId!).Order(), ledger.Order());
    }

    /// <summary>Reads the bot's database directly, as it is committed now: the SQLite file, or the PostgreSQL database.</summary>
    private async Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query)
    {
        if (_postgres is not null)
        {
            return await _postgres.QueryAsync(query);
        }

        var options = new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options;
        await using var db = new IncidentBotDbContext(options);
        return await query(db);
    }
}
