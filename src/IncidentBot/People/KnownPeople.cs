using System.Collections.Concurrent;

namespace IncidentBot.People;

/// <summary>
/// Who is known to have a stored name, so that each pin does not ask the database again. A name, once stored, stays
/// (rows are refreshed, never deleted), so a cached "known" never goes stale. Bounded: past
/// <see cref="MostRemembered"/> ids it starts over, and the next lookups go to the database again.
/// </summary>
public sealed class KnownPeople
{
    private const int MostRemembered = 10_000;

    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public bool Contains(string userId) => _ids.ContainsKey(userId);

    public void Add(string userId)
    {
        if (_ids.Count >= MostRemembered)
        {
            _ids.Clear();
        }

        _ids.TryAdd(userId, 0);
    }
}
