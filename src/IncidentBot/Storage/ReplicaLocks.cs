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

    /// <summary>One finished task for every delivery on SQLite, which asks on its hot path.</summary>
    private static readonly Task<IAsyncDisposable> Nothing = Task.FromResult<IAsyncDisposable>(new NothingHeld());

    /// <summary>
    /// Waits up to <paramref name="wait"/> for <paramref name="name"/>, then holds it until the result is disposed;
    /// throws <see cref="ReplicaLockTimeoutException"/> when another replica held it all that time.
    /// </summary>
    public Task<IAsyncDisposable> HoldAsync(string name, TimeSpan wait, CancellationToken cancellationToken) =>
        location.IsPostgreSql
            ? PostgreSqlAdvisoryLock.HoldAsync(location.ConnectionString, BotKeySpace, name, wait, cancellationToken)
            : Nothing;

    /// <summary>
    /// Holds <paramref name="name"/> until the result is disposed if no other replica holds it now; null, at once, when
    /// one does. For a pass that any replica may make and that one skips when another is making it.
    /// </summary>
    public async Task<IAsyncDisposable?> TryHoldAsync(string name, CancellationToken cancellationToken) =>
        location.IsPostgreSql
            ? await PostgreSqlAdvisoryLock.TryHoldAsync(location.ConnectionString, BotKeySpace, name, cancellationToken)
            : await Nothing;

    private sealed class NothingHeld : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Another replica held the lock for the whole wait.</summary>
public sealed class ReplicaLockTimeoutException(string name, TimeSpan wait)
    : TimeoutException($"Another replica held the lock '{name}' for {wait.TotalSeconds:0} s.");
