using System.Collections.Concurrent;

namespace IncidentBot.Incidents;

/// <summary>
/// Which live incident each channel belongs to (or none), remembered between requests: every message event asks, and
/// the answer changes only when an incident is declared, opened, closed or reopened, which clears it all
/// (<see cref="LiveIncidentChannelInvalidation"/>). In-process only, so it is used on SQLite alone, where one process
/// owns the database (the file lock); on PostgreSQL another replica's close would not clear this one's copy.
/// </summary>
public sealed class LiveIncidentChannelCache
{
    // Channels the bot is in; past this many something unusual goes on, and starting over keeps memory bounded.
    private const int MaxChannels = 10_000;

    private readonly ConcurrentDictionary<string, int?> _live = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<int?> GetOrLoadAsync(string channelId, Func<Task<int?>> load)
    {
        if (_live.TryGetValue(channelId, out var known))
        {
            return known;
        }

        // A read that began before a change was cleared must not put its old answer back: only an answer read
        // entirely between two clears is kept.
        var generation = Interlocked.Read(ref _generation);
        var loaded = await load();
        if (Interlocked.Read(ref _generation) == generation)
        {
            if (_live.Count >= MaxChannels)
            {
                _live.Clear();
            }

            _live[channelId] = loaded;
        }

        return loaded;
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _live.Clear();
    }
}
