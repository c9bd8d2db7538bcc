using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.Storage;

/// <summary>
/// Ready only while the database takes writes: a read-only mount or a full or missing volume keeps the bot out of
/// the load balancer instead of acknowledging events it cannot record. Asking for the write lock is enough; a lock
/// held by another writer (busy) proves the database is writable. On PostgreSQL, a server in recovery (a standby) is
/// read-only.
/// </summary>
internal sealed class StorageWritableHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        try
        {
            // Through EF, so that the pooled context closes it again (a server's connections are counted).
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            if (db.IsPostgreSql)
            {
                command.CommandText = "SELECT pg_is_in_recovery()";
                return await command.ExecuteScalarAsync(cancellationToken) is true
                    ? HealthCheckResult.Unhealthy("The database does not take writes: the PostgreSQL server is a standby in recovery")
                    : HealthCheckResult.Healthy("The database takes writes");
            }

            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database takes writes");
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY / SQLITE_LOCKED: another writer holds the lock, so writes are possible.
            return HealthCheckResult.Healthy("The database takes writes (another write was under way)");
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The database does not take writes: {exception.Message}");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
