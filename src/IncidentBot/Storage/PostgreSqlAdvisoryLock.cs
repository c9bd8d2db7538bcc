using Npgsql;

namespace IncidentBot.Storage;

/// <summary>
/// <see cref="ReplicaLocks"/> on PostgreSQL, in a class of its own so that only a bot on PostgreSQL ever loads Npgsql
/// for it (the SQLite process never maps that assembly: issue 14's idle memory).
/// </summary>
internal static class PostgreSqlAdvisoryLock
{
    public static async Task<IAsyncDisposable> HoldAsync(string connectionString, int keySpace, string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        NpgsqlTransaction? transaction = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            await connection.OpenAsync(deadline.Token);
            transaction = await connection.BeginTransactionAsync(deadline.Token);
            // hashtext folds any name into the lock's 32-bit second key; two names that collide only wait for each other.
            await using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, hashtext(@name))", connection, transaction);
            take.Parameters.AddWithValue("space", keySpace);
            take.Parameters.AddWithValue("name", name);
            await take.ExecuteNonQueryAsync(deadline.Token);
            return new Held(connection, transaction);
        }
        catch (Exception exception)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            if (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new ReplicaLockTimeoutException(name, wait);
            }

            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Ending the transaction ends the lock; a rollback, since the lock is all it holds.
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
