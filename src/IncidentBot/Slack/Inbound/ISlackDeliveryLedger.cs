using System.Text.Json;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Durable memory of the slash commands and interactions already handled, so that one Slack delivers again after a
/// restart (a Socket Mode envelope whose ack was lost) has its effect once. <see cref="SlackInbound"/> resolves it from
/// the delivery's DI scope, the scope its handler runs in, and calls it only for deliveries with a
/// <see cref="InboundDelivery.RedeliveryKey"/> (HTTP commands and interactions have none: Slack does not retry them).
/// Events do not use it: their handlers keep their own ledger by <c>event_id</c>. The durable implementation lives
/// outside <c>Slack/</c>; the default remembers nothing.
/// </summary>
public interface ISlackDeliveryLedger
{
    /// <summary>
    /// Called first, and held until the delivery is completed: keeps every other process that shares this ledger (a
    /// replica Slack sent the same envelope to) from handling <paramref name="deliveryKey"/> meanwhile, so that it
    /// finds the record instead of running the handler a second time. Throws when it cannot be had in time; the
    /// delivery is then not acknowledged, and Slack's next redelivery finds the record.
    /// </summary>
    Task<IAsyncDisposable> HoldAsync(string deliveryKey, CancellationToken cancellationToken);

    /// <summary>The delivery recorded under <paramref name="deliveryKey"/>, or null when it was never handled.</summary>
    Task<DeliveryRecord?> FindAsync(string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Called before the handler runs: adds the key to the scope's unit of work, so that it is committed atomically
    /// with the handler's own effect (and not at all when the handler fails before committing).
    /// </summary>
    void Stage(string deliveryKey);

    /// <summary>
    /// Called after the handler returned: records its immediate answer (null when it had none), and commits the record
    /// when the handler committed nothing itself. The handler may have failed and answered with an apology, so this must
    /// save the record alone, never the rest of what the scope still tracks. False when another handling of the same
    /// delivery (another replica's, given the envelope after this one's ack deadline passed) recorded the key first:
    /// this handling's effect, committed with the key, was refused with it, and its answer must not be given.
    /// </summary>
    Task<bool> CompleteAsync(string deliveryKey, JsonElement? answer, CancellationToken cancellationToken);
}

/// <summary>A delivery handled before, with the answer it was acknowledged with (null: none, or not recorded in time).</summary>
public sealed record DeliveryRecord(JsonElement? Answer);

/// <summary>The default when no durable ledger is registered: nothing is remembered across restarts.</summary>
internal sealed class NoDeliveryLedger : ISlackDeliveryLedger
{
    public Task<IAsyncDisposable> HoldAsync(string deliveryKey, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(NothingHeld.Instance);

    public Task<DeliveryRecord?> FindAsync(string deliveryKey, CancellationToken cancellationToken) => Task.FromResult<DeliveryRecord?>(null);

    public void Stage(string deliveryKey)
    {
    }

    public Task<bool> CompleteAsync(string deliveryKey, JsonElement? answer, CancellationToken cancellationToken) => Task.FromResult(true);
}

internal sealed class NothingHeld : IAsyncDisposable
{
    public static readonly NothingHeld Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
