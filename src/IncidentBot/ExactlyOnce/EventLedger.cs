using System.Data.Common;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// Makes an event handler's effect happen once per Slack <c>event_id</c>, whatever Slack's retries: the ledger row is
/// written in the same transaction as the effect, and its primary key refuses a second one, even from a concurrent
/// delivery or another replica.
/// </summary>
public sealed class EventLedger(IncidentBotDbContext db, SlackRequestContext context, TimeProvider time, SqliteWriteGate gate, GroupCommit group)
{
    public Task<bool> AlreadyHandledAsync(string consumer, CancellationToken cancellationToken) =>
        context.EventId is { } eventId
            ? db.ProcessedEvents.AnyAsync(p => p.EventId == eventId && p.Consumer == consumer, cancellationToken)
            : Task.FromResult(false);

    /// <summary>Saves the handler's changes together with its ledger row; a concurrent duplicate is dropped, not an error.</summary>
    public async Task SaveOnceAsync(string consumer, CancellationToken cancellationToken)
    {
        if (context.EventId is { } eventId)
        {
            db.ProcessedEvents.Add(new ProcessedEvent { EventId = eventId, Consumer = consumer, ReceivedAt = time.GetUtcNow().UtcDateTime });
        }

        try
        {
            await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), cancellationToken);
        }
        catch (DbUpdateException) when (context.EventId is not null)
        {
            db.ChangeTracker.Clear();
            if (!await AlreadyHandledAsync(consumer, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>
    /// The hot path's variant of <see cref="SaveOnceAsync"/>, without change tracking: the ledger row and the effect's
    /// rows are queued for the next group commit, and this returns once that transaction is committed. True when the
    /// event was new; a repeated event id writes nothing (the ledger row goes first, and its effect only if it was new).
    /// The effect must itself treat a duplicate as no row (ON CONFLICT DO NOTHING), not as an error.
    /// </summary>
    public Task<bool> CommitOnceAsync(string consumer, Func<GroupTransaction, Task<bool>> effect, CancellationToken cancellationToken) =>
        group.CommitAsync(new LedgeredWrite(context.EventId, consumer, time.GetUtcNow().UtcDateTime, effect), cancellationToken);

    /// <summary>
    /// PostgreSQL's variant of <see cref="CommitOnceAsync"/> for an effect that is one INSERT: the ledger row and the
    /// effect in ONE statement, so one round trip in its own implicit transaction, where a transaction of its own costs
    /// four (begin, ledger, effect, commit), each through Npgsql and the socket, and a group commit queues one
    /// writer's round trips behind each other. <paramref name="found"/> is a SELECT of the one row the effect is made
    /// from: when it finds none, nothing is written, not even the ledger row. <paramref name="effect"/> is an
    /// <c>INSERT … SELECT … FROM admitted … ON CONFLICT DO NOTHING</c>, where <c>admitted</c> is that row once the
    /// ledger took the event (every row of <c>found</c> when there is no event id). True when the event was new.
    /// </summary>
    public async Task<bool> CommitOnceInOneStatementAsync(
        string consumer, string found, string effect, Action<DbCommand> addParameters, CancellationToken cancellationToken)
    {
        var eventId = context.EventId;
        var sql = eventId is null
            ? $"""
              WITH found AS ({found}),
              admitted AS (SELECT * FROM found),
              effect AS ({effect} RETURNING 1)
              SELECT 0, (SELECT count(*) FROM effect)::int
              """
            : $"""
              WITH found AS ({found}),
              ledger AS (INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt")
                         SELECT @eventId, @consumer, @receivedAt FROM found ON CONFLICT DO NOTHING RETURNING 1),
              admitted AS (SELECT * FROM found WHERE EXISTS (SELECT 1 FROM ledger)),
              effect AS ({effect} RETURNING 1)
              SELECT (SELECT count(*) FROM ledger)::int, (SELECT count(*) FROM effect)::int
              """;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (eventId is not null)
            {
                command.AddParameter("eventId", eventId).AddParameter("consumer", consumer).AddParameter("receivedAt", time.GetUtcNow().UtcDateTime);
            }

            addParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (eventId is null ? reader.GetInt32(1) : reader.GetInt32(0)) == 1;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class LedgeredWrite(string? eventId, string consumer, DateTime receivedAt, Func<GroupTransaction, Task<bool>> effect) : IGroupWrite
    {
        public async Task<bool> WriteAsync(GroupTransaction transaction, CancellationToken cancellationToken)
        {
            if (eventId is not null)
            {
                var command = transaction.Command("""INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt") VALUES (@eventId, @consumer, @receivedAt) ON CONFLICT DO NOTHING""");
                command.AddParameter("eventId", eventId).AddParameter("consumer", consumer).AddParameter("receivedAt", receivedAt);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return false;
                }
            }

            // Without an event id (nothing to key the ledger on), the effect's own keys say whether it was new.
            return await effect(transaction) || eventId is not null;
        }
    }
}
