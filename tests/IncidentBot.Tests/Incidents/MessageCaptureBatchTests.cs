using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline.Capture;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// PostgreSQL's batched message capture, on the real server: concurrent requests' messages commit together, in few
/// statements, each kept once whatever is repeated within a batch; a channel without a live incident writes nothing;
/// a row the server refuses fails only its own request.
/// </summary>
public sealed class MessageCaptureBatchTests
{
    private const string Live = "C0LIVE0001";
    private const string Closed = "C0CLOSED01";
    private const string Quiet = "C0QUIET001";
    private const string Consumer = "CaptureMessageWhenPosted";
    private static readonly DateTime Now = new(2026, 12, 2, 15, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task Concurrent_messages_commit_together_each_once_and_only_in_a_live_incidents_channel()
    {
        // Arrange
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartAsync(database);
        var batch = bot.Services.GetRequiredService<MessageCaptureBatch>();
        var inLive = Enumerable.Range(0, 40).Select(i => Message($"Ev{i:000}", Live, i)).ToList();
        var again = inLive[0];                                   // the same delivery twice in one burst
        var otherEvent = inLive[1] with { EventId = "EvOTHER" }; // the same message under another event id
        var elsewhere = Enumerable.Range(0, 5).Select(i => Message($"EvC{i}", Closed, 100 + i))
            .Concat(Enumerable.Range(0, 5).Select(i => Message($"EvQ{i}", Quiet, 200 + i))).ToList();

        // Act: all at once, as concurrent requests queue them.
        await Task.WhenAll(inLive.Append(again).Append(otherEvent).Concat(elsewhere).Select(m => batch.CaptureAsync(m, CancellationToken.None)));

        // Assert: each live-channel message once, as sent; nothing elsewhere; a ledger row per event that was kept.
        var stored = await database.QueryAsync(db => db.Messages.AsNoTracking().ToListAsync());
        Assert.Equal(inLive.Select(m => (m.ChannelId, m.Ts, m.Text, m.UserId, m.ThreadTs)).Order(),
            stored.Select(m => (m.ChannelId, m.Ts, m.Text, m.UserId, m.ThreadTs)).Order());
        Assert.All(stored, m => Assert.Equal(1, m.IncidentId));
        var ledger = await database.QueryAsync(db => db.ProcessedEvents.Where(p => p.Consumer == Consumer).Select(p => p.EventId).ToListAsync());
        Assert.Equal(inLive.Select(m => m.EventId!).Append("EvOTHER").Order(), ledger.Order());

        // Few transactions wrote them (rows of one statement share its xmin): 40 requests, not 40 commits.
        var transactions = await CountAsync(database, """SELECT count(DISTINCT xmin::text) FROM "Messages" """);
        Assert.InRange(transactions, 1, 10);
    }

    [SkippableFact]
    public async Task A_row_the_server_refuses_fails_only_its_own_request_and_leaves_no_ledger_row()
    {
        // Arrange: PostgreSQL refuses a NUL character in text.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await StartAsync(database);
        var batch = bot.Services.GetRequiredService<MessageCaptureBatch>();
        var messages = Enumerable.Range(0, 20).Select(i => Message($"Ev{i:000}", Live, i)).ToList();
        messages[7] = messages[7] with { Text = "bad \0 byte" };

        // Act
        var writes = messages.Select(m => batch.CaptureAsync(m, CancellationToken.None)).ToList();
        await Task.WhenAll(writes.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));

        // Assert
        Assert.Equal([7], writes.Select((w, i) => (w, i)).Where(x => x.w.IsFaulted).Select(x => x.i));
        var stored = await database.QueryAsync(db => db.Messages.Select(m => m.Ts).ToListAsync());
        Assert.Equal(messages.Where((_, i) => i != 7).Select(m => m.Ts).Order(), stored.Order());
        Assert.False(await database.QueryAsync(db => db.ProcessedEvents.AnyAsync(p => p.EventId == "Ev007")));
    }

    private static async Task<BotHost> StartAsync(PostgreSqlTestDatabase database)
    {
        var bot = await database.StartBotAsync();
        await database.QueryAsync(async db =>
        {
            db.Incidents.AddRange(Incident(1, Live, IncidentStatus.Live), Incident(2, Closed, IncidentStatus.Closed));
            return await db.SaveChangesAsync();
        });
        return bot;
    }

    private static Incident Incident(int id, string channel, IncidentStatus status) => new()
    {
        Id = id,
        Title = $"Incident {id}",
        Status = status,
        ChannelId = channel,
        OriginChannelId = channel,
        DeclaredByUserId = "U1",
        LeaderUserId = "U1",
        DeclaredAt = Now.AddHours(-1),
        ClosedAt = status == IncidentStatus.Closed ? Now.AddMinutes(-30) : null,
    };

    private static MessageCaptureBatch.Message Message(string eventId, string channel, int i) =>
        new(eventId, Consumer, Now, channel, $"1764687600.{i:000000}", i % 3 == 0 ? "1764687600.000000" : null, $"U{i % 4}", $"message {i}", Now.AddSeconds(i));

    private static async Task<long> CountAsync(PostgreSqlTestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
