using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Data;

public sealed class StorageTests
{
    [Fact]
    public async Task The_database_is_migrated_at_start_and_uses_write_ahead_logging()
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions());
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null, 2L)]
    [InlineData("NORMAL", 1L)]
    [InlineData("FULL", 2L)]
    public async Task Sqlite_syncs_as_configured_full_by_default(string? setting, long expected)
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions { Settings = { ["Storage:SqliteSynchronous"] = setting } });
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";

        Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Processed_event_ids_are_pruned_after_a_day()
    {
        var time = Clock.AtSeedIncident();
        await using var bot = await BotHost.StartAsync(new BotHostOptions { Time = time });
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        db.ProcessedEvents.AddRange(
            new ProcessedEvent { EventId = "EvOld", Consumer = "c", ReceivedAt = now.AddHours(-25) },
            new ProcessedEvent { EventId = "EvRecent", Consumer = "c", ReceivedAt = now.AddHours(-23) });
        await db.SaveChangesAsync();

        var pruned = await ActivatorUtilities.CreateInstance<PruneProcessedEventsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);

        Assert.Equal(1, pruned);
        Assert.Equal(["EvRecent"], await db.ProcessedEvents.Select(p => p.EventId).ToListAsync());
    }

    [Fact]
    public async Task Times_that_are_not_utc_are_refused_rather_than_stored_an_hour_off()
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions());
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        db.ProcessedEvents.Add(new ProcessedEvent { EventId = "Ev1", Consumer = "c", ReceivedAt = new DateTime(2017, 9, 20, 6, 0, 0, DateTimeKind.Local) });

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
        Assert.Contains("Only UTC times are stored", refused.ToString(), StringComparison.Ordinal);
        Assert.False(await db.ProcessedEvents.AsNoTracking().AnyAsync());
    }
}
