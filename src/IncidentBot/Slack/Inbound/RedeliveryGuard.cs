using System.Text.Json;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Keeps one delivery from being handled twice by this process when Slack sends it again, on whichever of the
/// parallel Socket Mode connections: a redelivery that arrives while the first handling still runs waits for it and
/// acknowledges with the same answer, and one that arrives after it succeeded is acknowledged without being handled
/// again (its first ack was lost or late). A failed handling is forgotten, so Slack's redelivery handles it afresh.
/// This is a short-lived, in-memory guard only: it forgets on restart and after <see cref="Retention"/>. Durable
/// de-duplication is the event handlers' (each <c>event_id</c> in the database, as over HTTP) and, for commands and
/// interactions, the <see cref="ISlackDeliveryLedger"/>'s.
/// It also forgets the oldest succeeded keys beyond <see cref="Capacity"/>, so that a busy channel cannot make it hold
/// state for every message of the last 10 minutes (issue 14: no per-message state in memory); a redelivery of a key
/// forgotten that way is stopped by that durable de-duplication instead, only later.
/// </summary>
internal sealed class RedeliveryGuard(TimeProvider time)
{
    /// <summary>Longer than Slack's retry schedule (about 6 minutes from the first attempt to the last).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Succeeded keys remembered at most (a few MiB): far more than the deliveries Slack has unacknowledged at once,
    /// which are what its redeliveries repeat.
    /// </summary>
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<JsonElement?>> _entries = [];
    private readonly Queue<(string Key, DateTimeOffset Completed)> _completed = new();

    /// <summary>How many keys are remembered (running or recently completed), for tests.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="handle"/> unless this <paramref name="key"/> is running or recently succeeded, and returns
    /// the answer to acknowledge with; <paramref name="handled"/> says whether this call ran it. A failure propagates.
    /// </summary>
    public async Task<(JsonElement? Answer, bool Handled)> RunOnceAsync(string key, Func<Task<JsonElement?>> handle)
    {
        while (true)
        {
            TaskCompletionSource<JsonElement?>? owned = null;
            Task<JsonElement?> existing;
            lock (_gate)
            {
                Prune();
                if (!_entries.TryGetValue(key, out existing!))
                {
                    owned = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    existing = owned.Task;
                    _entries[key] = existing;
                }
            }

            if (owned is null)
            {
                try
                {
                    return (await existing, false);
                }
                catch (Exception)
                {
                    // The first handling failed and was forgotten: this delivery is Slack's retry, so it runs now.
                    continue;
                }
            }

            try
            {
                var answer = await handle();
                lock (_gate)
                {
                    _completed.Enqueue((key, time.GetUtcNow()));
                }

                owned.SetResult(answer);
                return (answer, true);
            }
            catch (Exception exception)
            {
                lock (_gate)
                {
                    _entries.Remove(key);
                }

                owned.SetException(exception);
                _ = owned.Task.Exception; // observed here; waiters, if any, retry rather than rethrow it
                throw;
            }
        }
    }

    private void Prune()
    {
        var cutoff = time.GetUtcNow() - Retention;
        while (_completed.TryPeek(out var oldest) && (oldest.Completed < cutoff || _completed.Count > Capacity))
        {
            _completed.Dequeue();
            _entries.Remove(oldest.Key);
        }
    }
}
