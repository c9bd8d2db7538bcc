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
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            return (await TakeAsync(connectionString, "SELECT pg_advisory_xact_lock(@space, hashtext(@name))", keySpace, name, deadline.Token))!;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReplicaLockTimeoutException(name, wait);
        }
    }

    /// <summary>The lock if it is free now, else null: <c>pg_try_advisory_xact_lock</c> never waits.</summary>
    public static Task<IAsyncDisposable?> TryHoldAsync(string connectionString, int keySpace, string name, CancellationToken cancellationToken) =>
        TakeAsync(connectionString, "SELECT pg_try_advisory_xact_lock(@space, hashtext(@name))", keySpace, name, cancellationToken);

    /// <summary>Runs <paramref name="take"/> in a transaction of its own connection; null, and nothing kept, when it answered false.</summary>
    private static async Task<IAsyncDisposable?> TakeAsync(string connectionString, string take, int keySpace, string name, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        NpgsqlTransaction? transaction = null;
        var held = false;
        try
        {
            await connection.OpenAsync(cancellationToken);
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            // hashtext folds any name into the lock's 32-bit second key; two names that collide only wait for each other.
            await using var command = new NpgsqlCommand(take, connection, transaction);
            command.Parameters.AddWithValue("space", keySpace);
            command.Parameters.AddWithValue("name", name);
            // pg_advisory_xact_lock answers void (read as null), pg_try_advisory_xact_lock whether it took the lock.
            held = await command.ExecuteScalarAsync(cancellationToken) is not false;
            return held ? new Held(connection, transaction) : null;
        }
        finally
        {
            if (!held)
            {
                if (transaction is not null)
                {
                    await transaction.DisposeAsync();
                }

                await connection.DisposeAsync();
            }
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
