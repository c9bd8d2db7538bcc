using System.Text.Json;
using IncidentBot.Slack.Inbound;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>A slash command or interaction already handled, by its redelivery key, with the answer it was given.</summary>
public sealed class HandledDelivery
{
    public required string Key { get; set; }

    /// <summary>The immediate answer, as JSON; null when there was none (or it was not recorded before a crash).</summary>
    public string? Answer { get; set; }

    public DateTime HandledAt { get; set; }
}

/// <summary>
/// The durable ledger of commands and interactions (<see cref="ISlackDeliveryLedger"/>): the key is staged in the
/// delivery's own unit of work, so it commits with the handler's effect, and a Socket Mode envelope Slack delivers
/// again after a restart, or to another replica while the first still handles it, is acknowledged with the first
/// answer instead of declaring a second incident.
/// </summary>
internal sealed class DeliveryLedger(IncidentBotDbContext db, ReplicaLocks locks, TimeProvider time) : ISlackDeliveryLedger
{
    /// <summary>Longer than any handling takes: Slack wants the envelope acknowledged within 3 seconds.</summary>
    public static readonly TimeSpan HoldWait = TimeSpan.FromSeconds(10);

    private HandledDelivery? _staged;

    public Task<IAsyncDisposable> HoldAsync(string deliveryKey, CancellationToken cancellationToken) =>
        locks.HoldAsync("delivery:" + deliveryKey, HoldWait, cancellationToken);

    public async Task<DeliveryRecord?> FindAsync(string deliveryKey, CancellationToken cancellationToken)
    {
        var handled = await db.HandledDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Key == deliveryKey, cancellationToken);
        return handled is null ? null : new DeliveryRecord(handled.Answer is null ? null : JsonDocument.Parse(handled.Answer).RootElement.Clone());
    }

    public void Stage(string deliveryKey)
    {
        _staged = new HandledDelivery { Key = deliveryKey, HandledAt = time.GetUtcNow().UtcDateTime };
        db.HandledDeliveries.Add(_staged);
    }

    public async Task<bool> CompleteAsync(string deliveryKey, JsonElement? answer, CancellationToken cancellationToken)
    {
        var json = answer?.GetRawText();
        var committed = _staged is not null && db.Entry(_staged).State is EntityState.Unchanged or EntityState.Modified;
        if (committed)
        {
            await db.HandledDeliveries.Where(d => d.Key == deliveryKey).ExecuteUpdateAsync(s => s.SetProperty(d => d.Answer, json), cancellationToken);
            return true;
        }

        // The handler committed nothing (it only answered, or failed and apologised): the record is saved alone, never
        // with whatever else the scope still tracks.
        if (_staged is not null)
        {
            db.Entry(_staged).State = EntityState.Detached;
        }

        // Nothing inserted: another handling of this delivery, running at the same time in another replica, committed
        // the key first, and with it refused this one's effect (a key conflict, which the handler turned into its answer).
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "HandledDeliveries" ("Key", "Answer", "HandledAt") VALUES ({deliveryKey}, {json}, {now}) ON CONFLICT DO NOTHING""",
            cancellationToken) == 1;
    }
}
