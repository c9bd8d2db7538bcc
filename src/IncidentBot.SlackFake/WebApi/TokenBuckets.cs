namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// Token buckets by key, on the fake's clock: a bucket holds <c>burst</c> calls and regains one every <c>interval</c>;
/// a call into an empty bucket is refused with the whole seconds until the next one, as Slack's Retry-After says.
/// </summary>
internal sealed class TokenBuckets(TimeProvider clock)
{
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Null when the call may go (it takes a token); else the Retry-After, in seconds.</summary>
    public int? Take(string key, int burst, TimeSpan interval)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var (tokens, at) = _buckets.TryGetValue(key, out var bucket) ? bucket : (burst, now);
            tokens = Math.Min(burst, tokens + ((now - at) / interval));
            if (tokens >= 1)
            {
                _buckets[key] = (tokens - 1, now);
                return null;
            }

            _buckets[key] = (tokens, now);
            return Math.Max(1, (int)Math.Ceiling((1 - tokens) * interval.TotalSeconds));
        }
    }
}
