using System.Data.Common;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// Makes an event handler's effect happen once per Slack <c>event_id</c>, whatever Slack's retries: the ledger row is
/// written in the same transaction as the effect, and its primary key refuses a second one, even from a concurrent
/// delivery or another replica.
/// </summary>
public sealed class EventLedger(
    IncidentBotDbContext db, SlackRequestContext context, TimeProvider time, SqliteWriteGate gate, GroupCommit group, PipelinedStatements pipelined)
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
    /// PostgreSQL's variant of <see cref="CommitOnceAsync"/>: the ledger row and the effect in ONE statement, where a
    /// transaction of its own cost a round trip per statement plus begin and commit, each through Npgsql and the socket.
    /// Concurrent requests' statements are sent together (<see cref="PipelinedStatements"/>): one round trip and one
    /// commit for the burst, each statement as it would run alone. <see cref="OneStatement.Found"/> is a SELECT of the one row the effects are made from:
    /// when it finds none, nothing is written, not even the ledger row. <see cref="OneStatement.Effects"/> are the
    /// statement's data-modifying CTEs (<c>name AS (INSERT … SELECT … FROM admitted … ON CONFLICT DO NOTHING
    /// RETURNING …)</c>, comma-separated), where <c>admitted</c> is that row once the ledger took the event (every row
    /// of <c>found</c> when there is no event id); <see cref="OneStatement.Results"/> is the select list the caller
    /// reads, from ordinal 1. Returns whether the ledger took the event (null without an event id: then the effects'
    /// own keys tell) and what <paramref name="read"/> made of the results.
    /// </summary>
    public async Task<(bool? NewEvent, T Result)> CommitOnceInOneStatementAsync<T>(
        string consumer, OneStatement statement, Action<DbCommand> addParameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var eventId = context.EventId;
        var sql = eventId is null
            ? $"""
              WITH found AS ({statement.Found}),
              admitted AS (SELECT * FROM found),
              {statement.Effects}
              SELECT NULL::int, {statement.Results}
              """
            : $"""
              WITH found AS ({statement.Found}),
              ledger AS (INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt")
                         SELECT @eventId, @consumer, @receivedAt FROM found ON CONFLICT DO NOTHING RETURNING 1),
              admitted AS (SELECT * FROM found WHERE EXISTS (SELECT 1 FROM ledger)),
              {statement.Effects}
              SELECT (SELECT count(*) FROM ledger)::int, {statement.Results}
              """;
        var receivedAt = time.GetUtcNow().UtcDateTime;
        return await pipelined.RunAsync(db, sql, command =>
        {
            if (eventId is not null)
            {
                command.AddParameter("@eventId", eventId).AddParameter("@consumer", consumer).AddParameter("@receivedAt", receivedAt);
            }

            addParameters(command);
        }, reader => (reader.IsDBNull(0) ? (bool?)null : reader.GetInt32(0) == 1, read(reader)), cancellationToken);
    }

    /// <summary>The parts of a one-statement write (<see cref="CommitOnceInOneStatementAsync"/>).</summary>
    public sealed record OneStatement(string Found, string Effects, string Results);

    private sealed class LedgeredWrite(string? eventId, string consumer, DateTime receivedAt, Func<GroupTransaction, Task<bool>> effect) : IGroupWrite
    {
        public async Task<bool> WriteAsync(GroupTransaction transaction, CancellationToken cancellationToken)
        {
            if (eventId is not null)
            {
                var command = transaction.Command("""INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt") VALUES (@eventId, @consumer, @receivedAt) ON CONFLICT DO NOTHING""");
                command.AddParameter("@eventId", eventId).AddParameter("@consumer", consumer).AddParameter("@receivedAt", receivedAt);
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
