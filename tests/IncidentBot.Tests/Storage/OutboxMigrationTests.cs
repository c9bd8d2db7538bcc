using System.Text.Json;
using IncidentBot.SlackFake;
using IncidentBot.Storage;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// The Outbox migration on a database as a live deployment left it before the upgrade: what the old tables and
/// columns recorded as sent is in the outbox afterwards, under the keys the code computes, and a bot started on it
/// posts nothing a second time. The Slack ids in the old rows are those of real messages in the fake workspace, so
/// "nothing again" is checked on what people see there.
/// </summary>
public sealed class OutboxMigrationTests : IAsyncLifetime
{
    /// <summary>The last migration before the outbox: the schema the deployment runs on before the upgrade.</summary>
    private const string BeforeOutbox = "20261124011237_PostMortems";

    private const string Ana = TestPeople.Ana;

    // Incident 1 (its own channel, announced and linked, nudged twice, one echoed note) and incident 3 (its channel
    // created, then the process died before the announcement) are live; incident 2 lived in #ops, is closed, and its
    // draft's parts are all out.
    private static readonly DateTime Declared1 = Utc(2017, 9, 20, 6, 5, 0);
    private static readonly DateTime NoteAt = Utc(2017, 9, 20, 6, 35, 12, 345);
    private static readonly DateTime Declared3 = Utc(2017, 9, 20, 7, 20, 0);
    private static readonly DateTimeOffset UpgradedAt = new(2017, 9, 20, 7, 30, 0, TimeSpan.Zero);
    private const string DraftFileId = "F0DRAFT0001";

    // Before the oldest row: a fake clock only moves forward, and the old bot's posts are replayed in their order.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 19, 0, 0, 0, TimeSpan.Zero));
    private readonly string _databasePath = TestDatabase.NewPath();
    private FakeSlackServer _slack = null!;
    private BotHost? _bot;

    private string _ops = "";
    private string _postmortems = "";
    private (string Id, string Name) _channel1;
    private (string Id, string Name) _channel3;
    private string _announcementTs = "";
    private string _echoTs = "";
    private string _firstNudgeTs = "";
    private string _secondNudgeTs = "";
    private string _draftTs = "";
    private string _draftLinkTs = "";

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = _time });
        TestPeople.AddTo(_slack.Workspace, Ana);
        var bot = _slack.Options.BotUserId;
        _ops = _slack.Workspace.CreateChannel("ops", false, Ana, bot).Id;
        _postmortems = _slack.Workspace.CreateChannel("postmortems", false, bot).Id;
        var channel1 = _slack.Workspace.CreateChannel("inc-2017-09-20-checkout-down", false, bot, Ana);
        _channel1 = (channel1.Id, channel1.Name);
        // The declarer is not in it yet: the invite is one of the steps the dead process never made.
        var channel3 = _slack.Workspace.CreateChannel("inc-2017-09-20-payments-failing", false, bot);
        _channel3 = (channel3.Id, channel3.Name);

        // What the old bot posted, at the times it posted it: the rows below point at these messages.
        _draftTs = PostAsBot(_postmortems, "Post-mortem draft: 2017-09-19 - Search is slow", Utc(2017, 9, 19, 10, 0, 1));
        _draftLinkTs = PostAsBot(_ops, ":memo: The post-mortem draft of INC-2 is ready for review", Utc(2017, 9, 19, 10, 0, 3));
        _announcementTs = PostAsBot(_channel1.Id, "INC-1 declared: Checkout down", Declared1);
        _firstNudgeTs = PostAsBot(_channel1.Id, ":hourglass: Nothing has been added to the timeline of INC-1 for 30 min.", Utc(2017, 9, 20, 6, 35, 0));
        _echoTs = PostAsBot(_channel1.Id, "Note: failing over to the replica", NoteAt);
        _secondNudgeTs = PostAsBot(_channel1.Id, ":hourglass: Nothing has been added to the timeline of INC-1 for 30 min.", NoteAt.AddMinutes(30));

        await using var db = OpenDatabase();
        await db.GetService<IMigrator>().MigrateAsync(BeforeOutbox);
        await InsertDeploymentRowsAsync(db);
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _slack.DisposeAsync();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_upgrade_moves_everything_recorded_as_sent_into_the_outbox_under_the_keys_the_code_computes()
    {
        // Arrange: the keys come from the code, so a format the SQL and the C# disagree on fails here.
        var expected = new[]
        {
            (OpenIncidentChannelJob.OutboxKey(1, "channel"), _channel1.Id, _channel1.Name),
            (OpenIncidentChannelJob.OutboxKey(1, "invite"), _channel1.Id, null),
            (OpenIncidentChannelJob.OutboxKey(1, "topic"), _channel1.Id, null),
            (OpenIncidentChannelJob.OutboxKey(1, "announcement"), _channel1.Id, _announcementTs),
            (OpenIncidentChannelJob.OutboxKey(1, "link"), _ops, null),
            // A whole second (no fraction printed) and a fraction of one: both of EF's ways of writing a time.
            (NudgeQuietIncidentsJob.OutboxKey(1, Declared1), _channel1.Id, _firstNudgeTs),
            (NudgeQuietIncidentsJob.OutboxKey(1, NoteAt), _channel1.Id, _secondNudgeTs),
            (EchoTimelineEntryJob.OutboxKey(1), _channel1.Id, _echoTs),
            (PublishPostMortemJob.OutboxKey(2, "message-1"), _postmortems, _draftTs),
            (PublishPostMortemJob.OutboxKey(2, "file"), _postmortems, DraftFileId),
            (PublishPostMortemJob.OutboxKey(2, "link"), _ops, _draftLinkTs),
            (OpenIncidentChannelJob.OutboxKey(3, "channel"), _channel3.Id, _channel3.Name),
        };

        // Act
        var outbox = await MigrateToLatestAsync();

        // Assert: exactly these rows, each sent, each where it landed and with what Slack returned.
        Assert.Equal(
            expected.Select(e => (e.Item1, (string?)e.Item2, e.Item3)).OrderBy(e => e.Item1, StringComparer.Ordinal),
            outbox.Select(o => (o.Key, o.ChannelId, o.SlackId)).OrderBy(o => o.Key, StringComparer.Ordinal));
        Assert.All(outbox, o => Assert.NotNull(o.SentAt));
        // Each row has its own token: the tag a retry would look for in Slack must never match another write's.
        Assert.Equal(outbox.Count, outbox.Select(o => o.Token).Distinct().Count());
    }

    [Fact]
    public async Task An_upgrade_records_nothing_as_sent_that_never_was()
    {
        // Arrange: the deployment's rows (InitializeAsync).
        // Act
        var keys = (await MigrateToLatestAsync()).Select(o => o.Key).ToList();

        // Assert: incident 3's channel exists, but its invite, topic, announcement were never made; incident 2 lived in
        // #ops, so it had none of these; and the nudge whose post never got an answer is not taken for sent.
        Assert.Contains(OpenIncidentChannelJob.OutboxKey(3, "channel"), keys);
        foreach (var step in new[] { "invite", "topic", "announcement", "link" })
        {
            Assert.DoesNotContain(OpenIncidentChannelJob.OutboxKey(3, step), keys);
        }

        foreach (var step in new[] { "channel", "invite", "topic", "announcement", "link" })
        {
            Assert.DoesNotContain(OpenIncidentChannelJob.OutboxKey(2, step), keys);
        }

        Assert.DoesNotContain(NudgeQuietIncidentsJob.OutboxKey(2, Utc(2017, 9, 19, 8, 30, 0)), keys);
        Assert.DoesNotContain(PublishPostMortemJob.OutboxKey(2, "message-2"), keys);
        Assert.DoesNotContain(PublishPostMortemJob.OutboxKey(2, "canvas"), keys);
    }

    [Fact]
    public async Task The_bot_started_on_the_old_database_posts_nothing_again_and_makes_only_the_writes_never_made()
    {
        // Arrange: what people see before the upgrade.
        var before = new[] { _ops, _postmortems, _channel1.Id, _channel3.Id }.ToDictionary(c => c, Texts);
        _time.SetUtcNow(UpgradedAt);

        // Act: the new bot upgrades the database at start, as a deployment does; its sweep (queued at start) finds the
        // unfinished work and runs it; then the minute's nudge pass, as the recurring job runs it.
        _bot = await BotHost.StartAsync(BotHostOptions.ConnectedTo(_slack) with
        {
            Time = _time,
            DatabasePath = _databasePath,
            Settings = new() { ["Incidents:PostmortemChannel"] = _postmortems },
        });
        _slack.ConnectBot(_bot.BaseUrl);
        Assert.Contains(_bot.Jobs.Queued, j => j.Type == typeof(SweepUnfinishedWorkJob));
        await _bot.Jobs.RunAllAsync();
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<NudgeQuietIncidentsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }

        await _slack.WhenIdleAsync();

        // Assert: the one post is incident 3's announcement, the one never made; incident 1's announcement, link and
        // nudges, its echo, and incident 2's draft, file and link are not made again.
        var posts = _slack.Calls.For("chat.postMessage");
        Assert.Equal([_channel3.Id], posts.Select(c => c.Argument("channel")));
        Assert.Equal(before[_ops], Texts(_ops));
        Assert.Equal(before[_postmortems], Texts(_postmortems));
        Assert.Equal(before[_channel1.Id], Texts(_channel1.Id));
        Assert.Single(Texts(_channel3.Id), t => t.Contains("INC-3 declared", StringComparison.Ordinal));
        Assert.Empty(_slack.Driver.Responses);
        Assert.Equal(0, _slack.Calls.Count("files.completeUploadExternal"));
        Assert.Equal(0, _slack.Calls.Count("canvases.create"));
        Assert.Equal([_channel3.Id], _slack.Calls.For("conversations.invite").Select(c => c.Argument("channel")));
        Assert.Equal([_channel3.Id], _slack.Calls.For("conversations.setTopic").Select(c => c.Argument("channel")));
        Assert.Contains(Ana, _slack.Workspace.GetChannel(_channel3.Id).Members);

        // The draft's publication, interrupted before it was marked done, is finished from the outbox alone.
        Assert.NotNull(await QueryAsync(db => db.PostMortems.Where(p => p.IncidentId == 2).Select(p => p.PublishedAt).SingleAsync()));
        // The row from before draft versions is version 1, and kept its text (the DraftVersions migration rebuilds the table).
        Assert.Equal((1, "# 2017-09-19 - Search is slow"), await QueryAsync(db => db.PostMortems.Where(p => p.IncidentId == 2).Select(p => ValueTuple.Create(p.Version, p.Markdown)).SingleAsync()));
        Assert.Equal(0, _bot.Jobs.Pending);
    }

    /// <summary>The rows a deployment had at 07:30, written in the old schema as the old bot wrote them.</summary>
    private async Task InsertDeploymentRowsAsync(IncidentBotDbContext db)
    {
        var responseUrl1 = _slack.Driver.IssueResponseUrl(_ops, Ana).ToString();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Incidents" ("Id", "Title", "Status", "ChannelId", "ChannelName", "HasDedicatedChannel", "OriginChannelId",
                "DeclaredByUserId", "LeaderUserId", "Severity", "DeclaredAt", "ClosedAt", "ResponseUrl", "AnnouncementTs", "LinkPosted")
            VALUES
                (1, 'Checkout down', 'Live', {_channel1.Id}, {_channel1.Name}, 1, {_ops}, {Ana}, {Ana}, 'SEV2', {Stored(Declared1)}, NULL, {responseUrl1}, {_announcementTs}, 1),
                (2, 'Search is slow', 'Closed', {_ops}, 'ops', 0, {_ops}, {Ana}, {Ana}, 'SEV3', '2017-09-19 08:00:00', '2017-09-19 10:00:00', NULL, NULL, 0),
                (3, 'Payments failing', 'Live', {_channel3.Id}, {_channel3.Name}, 1, {_ops}, {Ana}, {Ana}, NULL, {Stored(Declared3)}, NULL, NULL, NULL, 0)
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "TimelineEntries" ("Id", "IncidentId", "Kind", "Section", "OccurredAt", "AuthorUserId", "Text", "Pending", "RecordedAt", "EchoPending", "EchoTs")
            VALUES (1, 1, 'Note', 'Timeline', {Stored(NoteAt)}, {Ana}, 'failing over to the replica', 0, {Stored(NoteAt)}, 0, {_echoTs})
            """);
        // One nudge per quiet period: since the declaration, then since the note. Incident 2's last one never got an answer.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Nudges" ("IncidentId", "QuietSince", "Ts", "PostedAt")
            VALUES
                (1, {Stored(Declared1)}, {_firstNudgeTs}, '2017-09-20 06:35:00'),
                (1, {Stored(NoteAt)}, {_secondNudgeTs}, {Stored(NoteAt.AddMinutes(30))}),
                (2, '2017-09-19 08:30:00', NULL, '2017-09-19 09:00:00')
            """);

        // Incident 2's draft: every part out, and the process died before marking the publication done, so the sweep
        // runs the publication again; only the migrated rows stand between it and a second draft.
        var draft = new PostMortemDraft
        {
            IncidentId = 2,
            Reference = "INC-2",
            Title = "Search is slow",
            DeclaredAt = Utc(2017, 9, 19, 8, 0, 0),
            ResolvedAt = Utc(2017, 9, 19, 10, 0, 0),
            Leader = "Ana Lima",
            DeclaredBy = "Ana Lima",
            Severity = "SEV3",
            ChannelName = "ops",
        };
        Assert.Single(SlackDraftMessages.Build("# 2017-09-19 - Search is slow", draft.TitleLine)); // message-1 is the whole draft in Slack.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PostMortems" ("IncidentId", "Markdown", "DraftJson", "CompiledAt", "PublishedAt")
            VALUES (2, '# 2017-09-19 - Search is slow', {JsonSerializer.Serialize(draft)}, '2017-09-19 10:00:00', NULL)
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PublishedParts" ("IncidentId", "Part", "ChannelId", "SlackId", "PublishedAt")
            VALUES
                (2, 'message-1', {_postmortems}, {_draftTs}, '2017-09-19 10:00:01'),
                (2, 'file', {_postmortems}, {DraftFileId}, '2017-09-19 10:00:02'),
                (2, 'link', {_ops}, {_draftLinkTs}, '2017-09-19 10:00:03')
            """);
    }

    private async Task<List<OutboxEntry>> MigrateToLatestAsync()
    {
        await using (var db = OpenDatabase())
        {
            await db.Database.MigrateAsync();
        }

        return await QueryAsync(db => db.Outbox.AsNoTracking().ToListAsync());
    }

    private string PostAsBot(string channelId, string text, DateTime at)
    {
        _time.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
        return _slack.Workspace.PostMessage(_slack.Options.BotUserId, channelId, text).Ts;
    }

    private List<string> Texts(string channelId) => [.. _slack.Workspace.Messages(channelId).Select(m => $"{m.Ts} {m.Text}")];

    /// <summary>Without pooling, so no connection keeps the file open past the context.</summary>
    private IncidentBotDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite($"Data Source={_databasePath};Pooling=False").Options);

    private async Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query)
    {
        await using var db = OpenDatabase();
        return await query(db);
    }

    /// <summary>How EF Core writes a DateTime into SQLite: the format the old rows are in.</summary>
    private static string Stored(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime Utc(int year, int month, int day, int hour, int minute, int second, int millisecond = 0) =>
        new(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);
}
