using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Storage.Copy;

/// <summary>
/// The SQLite database being moved, opened read-only (<c>Mode=ReadOnly</c>: the copy can never change it) and read in
/// one transaction, so every table comes from the same moment. It must be the schema this version writes: older
/// migrations would leave columns out, newer ones would carry columns this version cannot place.
/// </summary>
internal sealed class SqliteCopySource : IAsyncDisposable
{
    private readonly DatabaseFileLock _lock;
    private readonly SqliteTransaction _transaction;

    private SqliteCopySource(IncidentBotDbContext db, DatabaseFileLock fileLock, SqliteTransaction transaction)
    {
        Db = db;
        _lock = fileLock;
        _transaction = transaction;
    }

    public IncidentBotDbContext Db { get; }

    public static async Task<SqliteCopySource> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly };
        }
        catch (ArgumentException exception)
        {
            throw new CopyRefusedException($"--from is not a SQLite connection string ({exception.Message}); e.g. --from \"Data Source=/data/incidentbot.db\".");
        }

        var location = DatabaseLocation.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageServiceCollectionExtensions.ConnectionStringName}"] = builder.ConnectionString,
        }).Build());
        if (location.FilePath is not { } file || !File.Exists(file))
        {
            throw new CopyRefusedException($"--from names no SQLite database file that exists ({location.FilePath ?? builder.DataSource}).");
        }

        // A bot still running on the file would go on writing after the copy read it: the rows would be lost.
        // Taking it creates <db>.lock when missing (never the database); a folder this user may not write to has none
        // to take, and then the copy goes on, as only a bot running as another user could be holding it.
        var fileLock = new DatabaseFileLock(location);
        if (TryLock(fileLock) is { } inUse)
        {
            fileLock.Dispose();
            throw new CopyRefusedException(inUse + " Stop the bot before copying its database.");
        }

        var db = new IncidentBotDbContext(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite(builder.ConnectionString).Options);
        try
        {
            await CheckMigrationsAsync(db, file, cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            // Deferred: BEGIN IMMEDIATE would ask for the write lock, which a read-only connection cannot take.
            var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            return new SqliteCopySource(db, fileLock, transaction);
        }
        catch
        {
            await db.DisposeAsync();
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>Every row of <paramref name="table"/> as its properties' values (shadow properties included).</summary>
    public async Task<List<object?[]>> ReadAsync(IEntityType table, CancellationToken cancellationToken)
    {
        var properties = table.GetProperties().ToList();
        // Tracked, because a shadow property's value lives in the change tracker, not on the object.
        var entities = await ((IQueryable<object>)SetOf(table.ClrType)).ToListAsync(cancellationToken);
        var rows = entities.Select(entity =>
        {
            var entry = Db.Entry(entity);
            return properties.Select(property => entry.Property(property.Name).CurrentValue).ToArray();
        }).ToList();
        Db.ChangeTracker.Clear();
        return rows;
    }

    private static string? TryLock(DatabaseFileLock fileLock)
    {
        try
        {
            return fileLock.TryAcquire();
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private object SetOf(Type clrType) =>
        typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(clrType).Invoke(Db, null)!;

    private static async Task CheckMigrationsAsync(IncidentBotDbContext db, string file, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var known = db.Database.GetMigrations().ToList();
        if (applied.Except(known).ToList() is { Count: > 0 } unknown)
        {
            throw new CopyRefusedException(
                $"The database {file} was written by a newer IncidentBot (migrations {string.Join(", ", unknown)} are unknown to this one): copy it with that version.");
        }

        if (known.Except(applied).ToList() is { Count: > 0 } pending)
        {
            throw new CopyRefusedException(
                $"The database {file} is not at this version's schema ({pending.Count} migrations not applied, first {pending[0]}): "
                + "start this version of the bot on it once (it migrates at start, keeping a snapshot), stop it, then copy.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await Db.DisposeAsync();
        _lock.Dispose();
    }
}
