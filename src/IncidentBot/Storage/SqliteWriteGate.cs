namespace IncidentBot.Storage;

/// <summary>
/// Lets one request-path write at a time into SQLite. SQLite has a single writer; concurrent requests racing for its
/// lock do not queue, they sleep and retry in its busy handler (1, 2, 5, 10… ms), and under a burst of events most
/// of the time went to those sleeps. Queued here instead, each write starts the moment the previous one commits.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
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
