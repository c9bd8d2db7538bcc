using System.Data.Common;
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
/// burst pays one commit (one fsync, one SQLite write lock) instead of one per event (the queue and its retry one by
/// one: <see cref="WriteBatcher{TWrite,TResult}"/>). Unbatched (on PostgreSQL), each request commits its own
/// transaction at once, in parallel: there one writer's statements, a round trip each, queue one behind the other, and
/// a short shared run measured it slower than a transaction per request on the server's many connections. What
/// PostgreSQL batches instead is one statement over many requests' rows (the timeline's message capture).
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    // Enough to take a whole burst of 64 senders at once; a larger batch only makes its first request wait longer.
    private const int MaxBatch = 256;

    private readonly IServiceScopeFactory _scopes;
    private readonly SqliteWriteGate _gate;
    private readonly bool _batched;
    private readonly WriteBatcher<IGroupWrite, bool> _batcher;

    // The writer's connection, open with its prepared commands from batch to batch; dropped after a failure (the
    // connection may be what failed) and opened afresh for the next batch.
    private WriterConnection? _connection;

    public GroupCommit(IServiceScopeFactory scopes, SqliteWriteGate gate, ILogger<GroupCommit> logger, bool batched = true)
    {
        _scopes = scopes;
        _gate = gate;
        _batched = batched;
        _batcher = new WriteBatcher<IGroupWrite, bool>(InOneTransactionAsync, MaxBatch, "group commit", logger);
    }

    public async Task<bool> CommitAsync(IGroupWrite write, CancellationToken cancellationToken) =>
        _batched ? await _batcher.WriteAsync(write, cancellationToken) : (await InOneTransactionAsync([write]))[0];

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<bool[]> InOneTransactionAsync(IReadOnlyList<IGroupWrite> batch)
    {
        if (!_batched)
        {
            await using var scope = _scopes.CreateAsyncScope();
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

        return await _gate.RunAsync(async () =>
        {
            _connection ??= await WriterConnection.OpenAsync(_scopes);
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

    private static async Task<bool[]> WriteAsync(DbConnection connection, GroupTransaction.CommandCache? commands, IReadOnlyList<IGroupWrite> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var group = new GroupTransaction(connection, transaction, commands);
        try
        {
            var results = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = await batch[i].WriteAsync(group, CancellationToken.None);
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
}
