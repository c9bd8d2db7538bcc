namespace IncidentBot.SlackFake.Recording;

/// <summary>
/// Every Web API call, in arrival order. Tests also use it to synchronise with the bot: wait for
/// its N-th call before advancing a fake clock.
/// </summary>
public sealed class CallRecorder
{
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<Waiter> _waiters = [];

    public IReadOnlyList<RecordedCall> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<RecordedCall> For(string method)
    {
        lock (_gate)
        {
            return [.. _calls.Where(c => c.Method == method)];
        }
    }

    public int Count(string method)
    {
        lock (_gate)
        {
            return _calls.Count(c => c.Method == method);
        }
    }

    public RecordedCall? Last(string method)
    {
        lock (_gate)
        {
            return _calls.LastOrDefault(c => c.Method == method);
        }
    }

    /// <summary>Completes with the <paramref name="count"/>-th call of <paramref name="method"/> (1-based); throws TimeoutException after <paramref name="timeout"/> (real time, default 10 s).</summary>
    public async Task<RecordedCall> WaitForCallAsync(string method, int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Waiter waiter;
        lock (_gate)
        {
            var matching = _calls.Where(c => c.Method == method).ToList();
            if (matching.Count >= count)
            {
                return matching[count - 1];
            }

            waiter = new Waiter(method, count);
            _waiters.Add(waiter);
        }

        var limit = timeout ?? TimeSpan.FromSeconds(10);
        try
        {
            return await waiter.Completion.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected call #{count} of {method} within {limit}; saw {Count(method)}.");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    internal void Add(RecordedCall call)
    {
        List<(Waiter Waiter, RecordedCall Call)> ready;
        lock (_gate)
        {
            _calls.Add(call);
            var seen = _calls.Count(c => c.Method == call.Method);
            ready = [.. _waiters.Where(w => w.Method == call.Method && w.Count == seen).Select(w => (w, call))];
        }

        // Completed outside the lock: continuations may run inline and call back in.
        foreach (var (waiter, nth) in ready)
        {
            waiter.Completion.TrySetResult(nth);
        }
    }

    private sealed record Waiter(string Method, int Count)
    {
        public TaskCompletionSource<RecordedCall> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
