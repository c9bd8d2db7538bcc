namespace IncidentBot.Storage;

/// <summary>
/// Lets one request-path write at a time into SQLite. SQLite has a single writer; concurrent requests racing for its
/// lock do not queue, they sleep and retry in its busy handler (1, 2, 5, 10… ms), and under a burst of events most
/// of the time went to those sleeps. Queued here instead, each write starts the moment the previous one commits.
/// On PostgreSQL (<paramref name="gated"/> false) writes run side by side, and the gate lets each through at once,
/// so writers call it the same way on every provider.
/// </summary>
public sealed class SqliteWriteGate(bool gated = true)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (!gated)
        {
            return await write();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _gate.Release();
        }
    }
}
