using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// At start: takes the database's lock (one bot per file), keeps a snapshot when an upgrade is about to change the
/// schema, applies the migrations and switches SQLite to write-ahead logging (readers never block the writer).
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopes, DatabaseFileLock fileLock, MigrationSnapshot snapshot, ReplicaLocks locks, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>Longer than any migration of ours takes; a replica that waited so long fails its start and is restarted.</summary>
    private static readonly TimeSpan MigrationWait = TimeSpan.FromMinutes(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The bot's own start took it already; a host started another way (tests) takes it here, before any write.
        fileLock.Acquire();
        // Replicas starting together migrate one at a time. EF's own lock on PostgreSQL is let go between migrations,
        // and with two pending the second replica created a table the first had just created.
        await using var held = await locks.HoldAsync("migrations", MigrationWait, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await snapshot.WriteAsync(db, pending, cancellationToken);
        // With nothing pending, MigrateAsync would still build the model from every configuration (its check for model
        // changes without a migration), undoing the compiled model's saving at each restart; tests hold that check.
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        Log.Migrated(logger, pending.Count, db.Database.GetDbConnection().DataSource);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Database {DataSource} ready ({Applied} migrations applied)")]
        public static partial void Migrated(ILogger logger, int applied, string dataSource);
    }
}
