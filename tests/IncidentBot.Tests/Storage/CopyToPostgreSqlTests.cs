using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Storage;
using IncidentBot.Storage.Copy;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Tests.PostMortems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// Moving an install: the seed incident played on SQLite, then <c>copy-to-postgresql</c> run as an operator runs it
/// (the built bot as its own process) into a new PostgreSQL database.
/// </summary>
public sealed class CopyToPostgreSqlTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public async Task The_seed_incident_is_copied_table_for_table_and_a_second_copy_into_the_filled_target_is_refused()
    {
        // Arrange: the seed incident's database on SQLite, its bot stopped (the copy refuses a database in use).
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var sqlite = TestDatabase.NewPath();
        var time = new FakeTimeProvider(new DateTimeOffset(2017, 9, 19, 13, 0, 0, TimeSpan.Zero));
        await using (var testbed = await SlackTestbed.StartAsync(time, options => options.InDeclaringChannel() with { DatabasePath = sqlite }))
        {
            await new ScenarioPlayer(testbed.Slack, time.SetUtcNow).PlayAsync(SeedIncident.Create(), afterStep: async (_, _) => await testbed.SettleAsync());
        }

        var sourceBefore = await File.ReadAllBytesAsync(sqlite);
        string[] args = [CopyToPostgreSqlCommand.Name, "--from", $"Data Source={sqlite}", "--to", database.ConnectionString];

        // Act
        var (exitCode, output) = await BotProcess.RunToExitAsync(AppContext.BaseDirectory, new Dictionary<string, string>(), args, CommandTimeout);

        // Assert: every table of the model holds what the source holds, the drafts byte for byte.
        Assert.True(exitCode == 0, output);
        var sourceCounts = await CountsAsync(Sqlite(sqlite));
        var targetCounts = await CountsAsync(PostgreSql(database.ConnectionString));
        Assert.Equal(sourceCounts, targetCounts);
        Assert.True(sourceCounts["Incidents"] == 1 && sourceCounts["TimelineEntries"] > 0 && sourceCounts["PostMortems"] > 0, string.Join(", ", sourceCounts));
        foreach (var (table, rows) in sourceCounts)
        {
            Assert.Matches($@"(?m)^\s+{table}\s+{rows} rows$", output);
        }

        var sourceDrafts = await DraftsAsync(Sqlite(sqlite));
        var targetDrafts = await DraftsAsync(PostgreSql(database.ConnectionString));
        Assert.Equal(sourceDrafts, targetDrafts);
        await SeedPostMortemTests.AssertIsTheGoldenDraftAsync(targetDrafts[^1].Markdown);
        Assert.Contains("Hangfire", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(sourceBefore, await File.ReadAllBytesAsync(sqlite));

        // Act: the same copy again, into the target that now holds the data.
        var (againExitCode, againOutput) = await BotProcess.RunToExitAsync(AppContext.BaseDirectory, new Dictionary<string, string>(), args, CommandTimeout);

        // Assert: refused, saying why, and the target is as the first copy left it.
        Assert.Equal(CopyToPostgreSqlCommand.RefusedExitCode, againExitCode);
        Assert.Contains("is not empty (rows in", againOutput, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", againOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", againOutput, StringComparison.Ordinal);
        Assert.Equal(targetCounts, await CountsAsync(PostgreSql(database.ConnectionString)));
        Assert.Equal(targetDrafts, await DraftsAsync(PostgreSql(database.ConnectionString)));

        // Assert last (it takes a value from a sequence): new rows get ids after the copied ones.
        await using var target = PostgreSql(database.ConnectionString);
        var next = await target.Database.SqlQuery<long>($"SELECT nextval(pg_get_serial_sequence('\"TimelineEntries\"', 'Id')) AS \"Value\"").SingleAsync();
        Assert.Equal(await target.TimelineEntries.MaxAsync(e => e.Id) + 1, next);
    }

    [SkippableFact]
    public async Task A_source_not_at_this_versions_schema_is_refused_and_left_as_it_was()
    {
        // Arrange: a SQLite database one migration short of this version.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var sqlite = TestDatabase.NewPath();
        await using (var db = Sqlite(sqlite, readOnly: false))
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.Database.MigrateAsync(migrations[^2]);
        }

        var before = await File.ReadAllBytesAsync(sqlite);
        NpgsqlConnection.ClearAllPools();

        // Act
        var (exitCode, output) = await BotProcess.RunToExitAsync(
            AppContext.BaseDirectory, new Dictionary<string, string>(), [CopyToPostgreSqlCommand.Name, "--from", $"Data Source={sqlite}", "--to", database.ConnectionString], CommandTimeout);

        // Assert
        Assert.Equal(CopyToPostgreSqlCommand.RefusedExitCode, exitCode);
        Assert.Contains("start this version of the bot on it once", output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(sqlite));
    }

    private static IncidentBotDbContext Sqlite(string path, bool readOnly = true) =>
        new(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite($"Data Source={path}{(readOnly ? ";Mode=ReadOnly" : "")};Pooling=false").Options);

    private static PostgreSqlIncidentBotDbContext PostgreSql(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>Every table of the model (as the command finds them) and its row count.</summary>
    private static async Task<SortedDictionary<string, long>> CountsAsync(IncidentBotDbContext db)
    {
        await using (db)
        {
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null))
            {
                // The name comes from the model, not from input.
                var sql = "SELECT COUNT(*) AS \"Value\" FROM \"" + table.GetTableName() + "\"";
                counts[table.GetTableName()!] = await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
            }

            return counts;
        }
    }

    private static async Task<List<(int IncidentId, int Version, string Markdown)>> DraftsAsync(IncidentBotDbContext db)
    {
        await using (db)
        {
            var drafts = await db.PostMortems.OrderBy(p => p.IncidentId).ThenBy(p => p.Version).Select(p => new { p.IncidentId, p.Version, p.Markdown }).ToListAsync();
            return drafts.Select(d => (d.IncidentId, d.Version, d.Markdown)).ToList();
        }
    }
}
