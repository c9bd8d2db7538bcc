using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.Tests.Infrastructure;
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

        // Act: the plans PostgreSQL makes for a pass's two reads, with the asks the first one returns.
        var (asks, plans) = await database.QueryAsync(async db =>
        {
            var oldest = await AcknowledgeCaptureJob.OldestAsks(db).ToListAsync();
            return (oldest, new[] { await PlanAsync(AcknowledgeCaptureJob.OldestAsks(db)), await PlanAsync(AcknowledgeCaptureJob.OnRecord(db, oldest)) });
        });

        // Assert: a pass takes the oldest hundred, and neither read walks a table from end to end.
        Assert.Equal(100, asks.Count);
        Assert.All(plans, plan => Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal));
    }

    /// <summary>The plan of <paramref name="query"/>'s own command, parameters and all, as PostgreSQL's EXPLAIN gives it.</summary>
    private static async Task<string> PlanAsync<T>(IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN (FORMAT JSON) " + command.CommandText;
        await command.Connection!.OpenAsync();
        try
        {
            var plan = (string)(await command.ExecuteScalarAsync())!;
            return JsonDocument.Parse(plan).RootElement.ToString();
        }
        finally
        {
            await command.Connection.CloseAsync();
        }
    }

    private static async Task ExecuteAsync(PostgreSqlTestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
