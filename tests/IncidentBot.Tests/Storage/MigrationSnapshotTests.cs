using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Storage;

/// <summary>An upgrade keeps the database as it was before changing its schema: the file to restore to roll back.</summary>
public sealed class MigrationSnapshotTests : IAsyncLifetime
{
    /// <summary>A deployment one migration behind: the incident roles and status updates do not exist yet.</summary>
    private const string Before = "20261201221427_TimelineReview";
    private const string Next = "20261201231653_DeclareCardUpdatesRoles";

    /// <summary>The newest SQLite migration the bot ships, whatever it is by now (PostgreSQL's have their own context).</summary>
    private static readonly string Latest = typeof(IncidentBot.Storage.IncidentBotDbContext).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute), false)
            .OfType<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>().Any(a => a.ContextType == typeof(IncidentBot.Storage.IncidentBotDbContext)))
        .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().FirstOrDefault()?.Id)
        .OfType<string>()
        .Max(StringComparer.Ordinal)!;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 21, 8, 30, 15, TimeSpan.Zero));
    private readonly string _databasePath = TestDatabase.NewPath();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databasePath)!, Path.GetFileName(_databasePath) + "*"))
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_database_at_an_older_migration_is_snapshotted_before_the_upgrade_and_the_snapshot_holds_the_old_schema()
    {
        // Arrange: the old deployment's database, with an incident in it.
        await using (var old = OpenDatabase(_databasePath))
        {
            await old.GetService<IMigrator>().MigrateAsync(Before);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Incidents" ("Id", "Title", "Status", "ChannelId", "ChannelName", "HasDedicatedChannel", "OriginChannelId",
                    "DeclaredByUserId", "LeaderUserId", "DeclaredAt")
                VALUES (1, 'Checkout down', 'Closed', 'C1', 'ops', 0, 'C1', 'U1', 'U1', '2017-09-20 06:05:00')
                """);
        }

        var logs = new CapturingLoggerProvider();

        // Act: the new version starts on it.
        await using (await BotHost.StartAsync(new BotHostOptions { DatabasePath = _databasePath, Time = _time, ConfigureServices = services => services.AddSingleton<ILoggerProvider>(logs) }))
        {
        }

        // Assert: the snapshot is named for the migration it precedes and the time, opens, and is the old database.
        var snapshot = $"{_databasePath}.before-{Next}-20170921T083015Z.db";
        Assert.True(File.Exists(snapshot), $"No snapshot {snapshot}");
        Assert.Equal(Before, await ScalarAsync<string>(snapshot, """SELECT MAX("MigrationId") FROM "__EFMigrationsHistory" """));
        Assert.Equal(0L, await ScalarAsync<long>(snapshot, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'IncidentRoles'"));
        Assert.Equal("Checkout down", await ScalarAsync<string>(snapshot, """SELECT "Title" FROM "Incidents" WHERE "Id" = 1"""));
        Assert.Equal(Latest, await ScalarAsync<string>(_databasePath, """SELECT MAX("MigrationId") FROM "__EFMigrationsHistory" """));
        // Structured: operators find the file to restore by the value, not by parsing the sentence.
        Assert.Single(logs.Lines, l => l.StartsWith("Information IncidentBot.Storage.MigrationSnapshot Database snapshot", StringComparison.Ordinal)
            && l.Contains($"Migration={Next} SnapshotPath={snapshot} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_database_and_one_already_up_to_date_get_no_snapshot()
    {
        await using (await BotHost.StartAsync(new BotHostOptions { DatabasePath = _databasePath, Time = _time }))
        {
        }

        await using (await BotHost.StartAsync(new BotHostOptions { DatabasePath = _databasePath, Time = _time }))
        {
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_databasePath)!, Path.GetFileName(_databasePath) + ".before-*"));
    }

    /// <summary>Without pooling, so no connection keeps the file open past the context.</summary>
    private static IncidentBotDbContext OpenDatabase(string path) =>
        new(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);

    private static async Task<T> ScalarAsync<T>(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
