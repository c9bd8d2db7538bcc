using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// Makes an event handler's effect happen once per Slack <c>event_id</c>, whatever Slack's retries: the ledger row is
/// written in the same transaction as the effect, and its primary key refuses a second one, even from a concurrent
/// delivery or another replica.
/// </summary>
public sealed class EventLedger(IncidentBotDbContext db, SlackRequestContext context, TimeProvider time, SqliteWriteGate gate)
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
            await (db.Database.IsSqlite() ? gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), cancellationToken) : db.SaveChangesAsync(cancellationToken));
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
}
