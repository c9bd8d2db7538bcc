using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// A copy of the database as it was before an upgrade changed its schema, next to it:
/// <c>&lt;db&gt;.before-&lt;first pending migration&gt;-&lt;UTC time&gt;.db</c>. Rolling back is stopping the bot, putting the copy in
/// the database's place and starting the previous version. <c>VACUUM INTO</c> reads one consistent state (the WAL
/// included) and writes a compact, self-contained file.
/// </summary>
internal sealed partial class MigrationSnapshot(DatabaseLocation location, TimeProvider time, ILogger<MigrationSnapshot> logger)
{
    /// <returns>The snapshot's path, or null when there is nothing to keep (a new or in-memory database).</returns>
    public async Task<string?> WriteAsync(IncidentBotDbContext db, IReadOnlyList<string> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0 || location.FilePath is not { } file || !db.Database.IsSqlite()
            || !(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            return null;
        }

        var path = SnapshotPath(file, pending[0], time.GetUtcNow());
        // VACUUM INTO takes an expression, so the path is a parameter, never spliced into the SQL.
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {path}", cancellationToken);
        Log.Written(logger, path, pending[0], pending.Count);
        return path;
    }

    public static string SnapshotPath(string databaseFile, string migration, DateTimeOffset now) =>
        $"{databaseFile}.before-{migration}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.db";

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Database snapshot {SnapshotPath} written before migrating to {Migration} ({Pending} migrations pending); restore it to roll back")]
        public static partial void Written(ILogger logger, string snapshotPath, string migration, int pending);
    }
}
