using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Storage;

/// <summary>
/// PostgreSQL's group commit for the request path's one-statement writes (a pin's ledger row, reaction, entry and ask):
/// what concurrent requests queued is sent by one writer as one batch of their statements, each as it would run
/// alone and in order, in one round trip and one implicit transaction, so a burst pays one commit (one WAL flush) and
/// one trip through the socket instead of one each. Each request is answered with its own statement's row once the
/// batch has committed; a batch that fails is run again one statement at a time
/// (<see cref="WriteBatcher{TWrite,TResult}"/>), so one bad statement fails only its own request.
/// </summary>
public sealed class PipelinedStatements : IAsyncDisposable
{
    // Pins come a tenth as often as messages: a burst of 64 senders' pins fits in one batch.
    private const int MaxBatch = 64;

    private readonly IServiceScopeFactory _scopes;
    private readonly WriteBatcher<Statement, object?> _batcher;

    public PipelinedStatements(IServiceScopeFactory scopes, ILogger<PipelinedStatements> logger)
    {
        _scopes = scopes;
        _batcher = new WriteBatcher<Statement, object?>(RunAsync, MaxBatch, "pipelined batch", logger);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with the parameters <paramref name="addParameters"/> adds, in the next batch, and
    /// returns what <paramref name="read"/> made of its first row once the batch committed. The parameters are made here,
    /// on the caller's side: the writer runs nothing of the caller's but <paramref name="read"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(IncidentBotDbContext db, string sql, Action<DbCommand> addParameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var scratch = db.Database.GetDbConnection().CreateCommand();
        addParameters(scratch);
        var parameters = scratch.Parameters.Cast<DbParameter>().ToArray();
        scratch.Parameters.Clear();
        return (T)(await _batcher.WriteAsync(new Statement(sql, parameters, reader => read(reader)), cancellationToken))!;
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private async Task<object?[]> RunAsync(IReadOnlyList<Statement> statements)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var batch = connection.CreateBatch();
        try
        {
            foreach (var statement in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                command.Parameters.AddRange(statement.Parameters);
                batch.BatchCommands.Add(command);
            }

            var results = new object?[statements.Count];
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                for (var i = 0; i < statements.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync())
                    {
                        throw new InvalidOperationException($"The batch's statement {i + 1} of {statements.Count} returned no result.");
                    }

                    if (!await reader.ReadAsync())
                    {
                        throw new InvalidOperationException($"The batch's statement {i + 1} of {statements.Count} returned no row.");
                    }

                    results[i] = statements[i].Read(reader);
                }

                // To the end of the batch: its implicit transaction commits there, and a failed commit is thrown here.
                while (await reader.NextResultAsync())
                {
                }
            }

            return results;
        }
        finally
        {
            // Let go of the parameters, so that the one-by-one retry of a failed batch can give them to new commands.
            foreach (DbBatchCommand command in batch.BatchCommands)
            {
                command.Parameters.Clear();
            }

            await batch.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Statement(string Sql, DbParameter[] Parameters, Func<DbDataReader, object?> Read);
}
