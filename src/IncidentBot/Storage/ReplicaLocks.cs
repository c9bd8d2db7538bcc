using Npgsql;

namespace IncidentBot.Storage;

/// <summary>
/// A named lock that every replica of the bot on this database respects, for work whose "once" cannot wait for a
/// commit: two replicas handling the same redelivered command would both run its handler before either committed.
/// On PostgreSQL it is a transaction-scoped advisory lock on a connection of its own, so it ends with that transaction
/// however the holder ends (disposed, its connection broken, its process killed) and never lingers in a pooled
/// connection. On SQLite there is one bot per database (<see cref="DatabaseFileLock"/>): nothing to hold against.
/// </summary>
public sealed class ReplicaLocks(DatabaseLocation location)
{
    /// <summary>The advisory locks' first key: the bot's own space, apart from any other user of the database.</summary>
    private const int BotKeySpace = 0x1BC0_0001;

    private static readonly IAsyncDisposable Nothing = new NothingHeld();

    /// <summary>
    /// Waits up to <paramref name="wait"/> for <paramref name="name"/>, then holds it until the result is disposed;
    /// throws <see cref="ReplicaLockTimeoutException"/> when another replica held it all that time.
    /// </summary>
    public async Task<IAsyncDisposable> HoldAsync(string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!location.IsPostgreSql)
        {
            return Nothing;
        }

        var connection = new NpgsqlConnection(location.ConnectionString);
        NpgsqlTransaction? transaction = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            await connection.OpenAsync(deadline.Token);
            transaction = await connection.BeginTransactionAsync(deadline.Token);
            // hashtext folds any name into the lock's 32-bit second key; two names that collide only wait for each other.
            await using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, hashtext(@name))", connection, transaction);
            take.Parameters.AddWithValue("space", BotKeySpace);
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

    private sealed class NothingHeld : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Another replica held the lock for the whole wait.</summary>
public sealed class ReplicaLockTimeoutException(string name, TimeSpan wait)
    : TimeoutException($"Another replica held the lock '{name}' for {wait.TotalSeconds:0} s.");
