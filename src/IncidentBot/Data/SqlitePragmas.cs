using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IncidentBot.Data;

/// <summary>
/// Per-connection SQLite settings. In WAL mode, synchronous=NORMAL keeps every committed transaction through a crash of
/// the process (a kill -9 loses nothing acknowledged); only an OS crash or power cut can lose the last few, which
/// FULL would keep at the cost of an fsync per event (see <see cref="StorageOptions"/>; the value is validated there,
/// which is what makes putting it in the statement safe).
/// </summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={synchronous};";
        command.ExecuteNonQuery();
    }
}
