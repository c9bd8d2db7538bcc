using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// PostgreSQL's pipelined one-statement writes, on the real server: concurrent statements commit together, each
/// request gets its own statement's row, each statement sees the ones before it, and one that fails fails alone.
/// </summary>
public sealed class PipelinedStatementsTests
{
    // Its own row, and the transaction that wrote it; a repeated key writes nothing and says so.
    private const string Insert = """
        WITH kept AS (INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt") VALUES (@eventId, 'test', now())
                      ON CONFLICT DO NOTHING RETURNING xmin::text AS tx)
        SELECT @eventId::text, (SELECT tx FROM kept), 1 / @divisor
        """;

    [SkippableFact]
    public async Task Concurrent_statements_commit_together_and_each_gets_its_own_row()
    {
        // Arrange
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await database.StartBotAsync();
        var ids = Enumerable.Range(0, 30).Select(i => $"Ev{i:00}").ToList();

        // Act: all at once, as concurrent requests queue them, one of them twice.
        var results = await Task.WhenAll(ids.Append("Ev05").Select(id => RunAsync(bot, id, divisor: 1)));

        // Assert: each answered with its own row; the repeat, run after the first in its batch or later, wrote nothing.
        Assert.Equal(ids.Append("Ev05"), results.Select(r => r.EventId));
        Assert.Single(results, r => r.EventId == "Ev05" && r.Transaction is null);
        Assert.Equal(ids.Order(), await database.QueryAsync(db => db.ProcessedEvents.Select(p => p.EventId).OrderBy(e => e).ToListAsync()));
        var transactions = results.Where(r => r.Transaction is not null).Select(r => r.Transaction).Distinct().Count();
        Assert.InRange(transactions, 1, 10);
    }

    [SkippableFact]
    public async Task A_statement_that_fails_fails_only_its_own_request()
    {
        // Arrange
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var bot = await database.StartBotAsync();

        // Act: the eighth divides by zero.
        var runs = Enumerable.Range(0, 20).Select(i => RunAsync(bot, $"Ev{i:00}", divisor: i == 7 ? 0 : 1)).ToList();
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

        // Assert
        Assert.Equal([7], runs.Select((r, i) => (r, i)).Where(x => x.r.IsFaulted).Select(x => x.i));
        var stored = await database.QueryAsync(db => db.ProcessedEvents.Select(p => p.EventId).OrderBy(e => e).ToListAsync());
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i != 7).Select(i => $"Ev{i:00}"), stored);
    }

    private static async Task<(string EventId, string? Transaction)> RunAsync(BotHost bot, string eventId, int divisor)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        return await bot.Services.GetRequiredService<PipelinedStatements>().RunAsync(
            db, Insert, command => command.AddParameter("@eventId", eventId).AddParameter("@divisor", divisor),
            reader => (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)), CancellationToken.None);
    }
}
