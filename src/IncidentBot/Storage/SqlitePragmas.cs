using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IncidentBot.Storage;

/// <summary>
/// Per-connection SQLite settings. synchronous=FULL (the default) syncs the WAL at every commit, so nothing acknowledged
/// is lost even to an OS crash or power cut; the request path's group commit makes that one fsync per batch. NORMAL
/// keeps every commit through a crash of the process only (see <see cref="StorageOptions"/>; the value is validated
/// there, which is what makes putting it in the statement safe).
/// </summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    // The setting belongs to SQLite's database handle, which the connection pool keeps open and hands out again; EF
    // opens a connection for each query, so setting it once per handle spares a statement on every one of them.
    private readonly ConditionalWeakTable<object, object> _applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && !_applied.TryAdd(handle, handle))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={synchronous};";
        command.ExecuteNonQuery();
    }
}
