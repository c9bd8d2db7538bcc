namespace IncidentBot.SlackFake.Faults;

/// <summary>
/// Faults queued per Web API method and consumed one per call, in order. A persistent fault
/// applies to every call of its method once the queue is empty, until cleared.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Fault>> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Fault> _persistent = new(StringComparer.Ordinal);

    public void Enqueue(string method, Fault fault) => Enqueue(method, [fault]);

    public void Enqueue(string method, IEnumerable<Fault> faults)
    {
        lock (_gate)
        {
            if (!_queued.TryGetValue(method, out var queue))
            {
                _queued[method] = queue = new Queue<Fault>();
            }

            foreach (var fault in faults)
            {
                queue.Enqueue(fault);
            }
        }
    }

    public void SetPersistent(string method, Fault fault)
    {
        lock (_gate)
        {
            _persistent[method] = fault;
        }
    }

    /// <summary>Removes queued and persistent faults of one method.</summary>
    public void Clear(string method)
    {
        lock (_gate)
        {
            _queued.Remove(method);
            _persistent.Remove(method);
        }
    }

    public void ClearAll()
    {
        lock (_gate)
        {
            _queued.Clear();
            _persistent.Clear();
        }
    }

    public int Pending(string method)
    {
        lock (_gate)
        {
            return _queued.TryGetValue(method, out var queue) ? queue.Count : 0;
        }
    }

    internal Fault? Take(string method)
    {
        lock (_gate)
        {
            if (_queued.TryGetValue(method, out var queue) && queue.TryDequeue(out var fault))
            {
                return fault;
            }

            return _persistent.GetValueOrDefault(method);
        }
    }
}
