using IncidentBot.Slack.Inbound;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.DeadLetters;

/// <summary>
/// Keeps a failing event for the sweep's replay, committed before Slack is acknowledged. An event dead-lettered again
/// (Slack's last retry, when our acknowledgement was lost) updates its row rather than adding a second, and one two
/// replicas dead-letter at once is kept in one row by both.
/// </summary>
internal sealed class DeadLetterStore(IncidentBotDbContext db, SqliteWriteGate gate, TimeProvider time) : IDeadLetterBox
{
    public async Task StoreAsync(DeadLetterDelivery letter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.DeadLetters.SingleOrDefaultAsync(l => l.EventId == letter.EventId, cancellationToken);
        if (row is null)
        {
            db.DeadLetters.Add(new DeadLetter
            {
                EventId = letter.EventId,
                Type = letter.Type,
                Body = letter.Body,
                Source = letter.Source,
                FirstFailedAt = now,
                LastFailedAt = now,
                LastError = letter.Error,
            });
        }
        else
        {
            row.LastFailedAt = now;
            row.LastError = letter.Error;
        }

        try
        {
            await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), cancellationToken);
        }
        catch (DbUpdateException) when (row is null)
        {
            // Another replica kept the same event at the same moment (Slack's retry landed there too; the event id's
            // index let one row in): it is kept, which is all this promises, so this replica acknowledges it as well.
            db.ChangeTracker.Clear();
            if (!await db.DeadLetters.AnyAsync(l => l.EventId == letter.EventId, cancellationToken))
            {
                throw;
            }
        }
    }
}
