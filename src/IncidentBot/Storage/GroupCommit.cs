using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Storage;

/// <summary>One request's rows, written by the group's writer inside the group's transaction.</summary>
public interface IGroupWrite
{
    /// <summary>Writes the rows; true when they were new. A duplicate must be answered false, not thrown (ON CONFLICT DO NOTHING).</summary>
    Task<bool> WriteAsync(GroupTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>
/// Group commit for the request path's small writes: one writer drains what concurrent requests queued and commits it
/// in ONE transaction, then answers each of them, so a request still returns only once its rows are committed, but a
/// burst pays one commit (one fsync, one SQLite write lock) instead of one per event. A batch that fails is written
/// again one by one, so one bad row fails only its own request. Unbatched (on PostgreSQL), each request commits its
/// own transaction at once, in parallel, as before: there one writer's statements, a round trip each, queue one behind
/// the other, and a short shared run measured it slower than a transaction per request on the server's many connections.
/// </summary>
public sealed partial class GroupCommit(IServiceScopeFactory scopes, SqliteWriteGate gate, ILogger<GroupCommit> logger, bool batched = true) : IAsyncDisposable
{
    // Enough to take a whole burst of 64 senders at once; a larger batch only makes its first request wait longer.
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;

    // The writer's connection, open with its prepared commands from batch to batch; dropped after a failure (the
    // connection may be what failed) and opened afresh for the next batch.
    private WriterConnection? _connection;

    public async Task<bool> CommitAsync(IGroupWrite write, CancellationToken cancellationToken)
    {
        if (!batched)
        {
            return (await InOneTransactionAsync([new Pending(write, new TaskCompletionSource<bool>())]))[0];
        }

        EnsureWriterStarted();
        var pending = new Pending(write, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit));
        }

        // A request that gives up stops waiting, but what it queued may still commit: Slack's retry then meets the ledger.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer;
        }

        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private void EnsureWriterStarted()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            var results = await InOneTransactionAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }

            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(ex, batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                pending.Done.TrySetResult((await InOneTransactionAsync([pending]))[0]);
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    private async Task<bool[]> InOneTransactionAsync(IReadOnlyList<Pending> batch)
    {
        if (!batched)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                return await WriteAsync(db.Database.GetDbConnection(), null, batch);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        return await gate.RunAsync(async () =>
        {
            _connection ??= await WriterConnection.OpenAsync(scopes);
            try
            {
                return await WriteAsync(_connection.Connection, _connection.Commands, batch);
            }
            catch
            {
                await _connection.DisposeAsync();
                _connection = null;
                throw;
            }
        }, CancellationToken.None);
    }

    private static async Task<bool[]> WriteAsync(DbConnection connection, GroupTransaction.CommandCache? commands, IReadOnlyList<Pending> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var group = new GroupTransaction(connection, transaction, commands);
        try
        {
            var results = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = await batch[i].Write.WriteAsync(group, CancellationToken.None);
            }

            await transaction.CommitAsync();
            return results;
        }
        finally
        {
            foreach (var command in group.Made)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>The SQLite writer's own scope, its open connection and the commands prepared on it.</summary>
    private sealed class WriterConnection(AsyncServiceScope scope, IncidentBotDbContext db) : IAsyncDisposable
    {
        public DbConnection Connection => db.Database.GetDbConnection();

        public GroupTransaction.CommandCache Commands { get; } = new();

        public static async Task<WriterConnection> OpenAsync(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
            await db.Database.OpenConnectionAsync();
            return new WriterConnection(scope, db);
        }

        public async ValueTask DisposeAsync()
        {
            Commands.Dispose();
            await db.Database.CloseConnectionAsync();
            await scope.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "A group commit of {Count} writes failed; writing them one by one")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Pending(IGroupWrite Write, TaskCompletionSource<bool> Done);
}
