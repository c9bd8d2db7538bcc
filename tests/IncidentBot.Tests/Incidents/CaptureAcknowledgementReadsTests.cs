using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// What a drain of the capture reactions reads, on the real PostgreSQL server with a big record: its reads stay on
/// indexes, so a pass costs the same after a long incident as after a short one.
/// </summary>
public sealed class CaptureAcknowledgementReadsTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 15, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task A_drains_reads_never_scan_the_whole_timeline()
    {
        // Arrange: 20,000 entries on the record, 2,000 messages asked for (every tenth one on the record), fresh statistics.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using (await database.StartBotAsync())
        {
            // The bot made the schema; the rows are made here, the way the request path leaves them.
        }

        await database.QueryAsync(async db =>
        {
            db.Incidents.Add(new Incident
            {
                Id = 1, Title = "Checkout down", Status = IncidentStatus.Live, ChannelId = "C0LIVE0001", OriginChannelId = "C0LIVE0001",
                DeclaredByUserId = "U1", LeaderUserId = "U1", DeclaredAt = Now.AddHours(-1),
            });
            return await db.SaveChangesAsync();
        });
        await ExecuteAsync(database, """
            INSERT INTO "TimelineEntries" ("IncidentId", "Kind", "Section", "OccurredAt", "RecordedAt", "AuthorUserId", "Text",
                                           "SourceChannelId", "SourceTs", "Pending", "EchoPending", "Removed")
            SELECT 1, 'Message', 'Timeline', now(), now(), 'U1', 'entry ' || i, 'C0LIVE0001', '1764687600.' || lpad(i::text, 6, '0'), false, false, false
            FROM generate_series(1, 20000) AS i;
            INSERT INTO "CaptureAcknowledgements" ("ChannelId", "Ts", "Requests", "RequestedAt")
            SELECT 'C0LIVE0001', '1764687600.' || lpad((i * 10)::text, 6, '0'), 1, now() - make_interval(secs => i)
            FROM generate_series(1, 2000) AS i;
            ANALYZE;
            """);

        // Act: the plans PostgreSQL makes for a pass's two reads, with the asks the first one returns, as generic plans
        // (what a statement the bot runs again and again may get, where nothing is known of its parameters' values).
        var (asks, plans) = await database.QueryAsync(async db =>
        {
            var oldest = await AcknowledgeCaptureJob.OldestAsks(db).ToListAsync();
            await using var first = AcknowledgeCaptureJob.OldestAsks(db).CreateDbCommand();
            var onRecord = AcknowledgeCaptureJob.AddKeys(db.Database.GetDbConnection().CreateCommand(), oldest);
            onRecord.CommandText = AcknowledgeCaptureJob.OnRecordSql;
            await using var second = onRecord;
            return (oldest, new[] { await GenericPlanAsync(db, first), await GenericPlanAsync(db, second) });
        });

        // Assert: a pass takes the oldest hundred, and neither read walks a table from end to end.
        Assert.Equal(100, asks.Count);
        Assert.All(plans, plan => Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal));
    }

    /// <summary>
    /// The plan PostgreSQL's EXPLAIN gives <paramref name="command"/> as a prepared statement's generic plan (what the
    /// bot's auto-prepared statements get after a few runs): made without its parameters' values, used with any.
    /// </summary>
    private static async Task<string> GenericPlanAsync(IncidentBotDbContext db, DbCommand command)
    {
        var parameters = command.Parameters.Cast<DbParameter>().ToList();
        var sql = command.CommandText;
        foreach (var (parameter, i) in parameters.Select((p, i) => (p, i)).OrderByDescending(x => x.p.ParameterName.Length))
        {
            sql = Regex.Replace(sql, $"@{Regex.Escape(parameter.ParameterName.TrimStart('@'))}\\b", $"${i + 1}");
        }

        var types = string.Join(", ", parameters.Select(p => p.Value switch { string => "text", IEnumerable<string> => "text[]", _ => "bigint" }));
        var values = string.Join(", ", parameters.Select(p => Literal(p.Value)));
        await db.Database.OpenConnectionAsync();
        try
        {
            await RunAsync("SET plan_cache_mode = force_generic_plan");
            await RunAsync($"PREPARE read_under_test ({types}) AS {sql}");
            var plan = await RunAsync($"EXPLAIN (FORMAT JSON) EXECUTE read_under_test ({values})");
            await RunAsync("DEALLOCATE read_under_test");
            return plan;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        async Task<string> RunAsync(string text)
        {
            await using var run = db.Database.GetDbConnection().CreateCommand();
            run.CommandText = text;
            return Convert.ToString(await run.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        }
    }

    private static string Literal(object? value) => value switch
    {
        string text => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'",
        IEnumerable<string> texts => $"ARRAY[{string.Join(", ", texts.Select(Literal))}]::text[]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "NULL",
    };

    private static async Task ExecuteAsync(PostgreSqlTestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
