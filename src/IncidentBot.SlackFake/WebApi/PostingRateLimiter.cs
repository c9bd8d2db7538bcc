namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// chat.postMessage's special rate limit (slack-protocol.md §7.1): about one message a second per channel, short
/// bursts tolerated. A bucket per channel holds <see cref="PostingRateLimit.Burst"/> posts and regains one every
/// <see cref="PostingRateLimit.Interval"/> on the fake's clock; a post into an empty bucket is refused (429) with the
/// whole seconds until the next one, as Slack's Retry-After says.
/// </summary>
internal sealed class PostingRateLimiter(FakeSlackOptions options)
{
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Null when the post may go; else the Retry-After, in seconds.</summary>
    public int? Refuse(string methodName, IReadOnlyDictionary<string, string> arguments)
    {
        if (options.PostingRateLimit is not { } limit || methodName != "chat.postMessage" || !arguments.TryGetValue("channel", out var channel))
        {
            return null;
        }

        var now = options.Clock.GetUtcNow();
        lock (_lock)
        {
            var (tokens, at) = _buckets.TryGetValue(channel, out var bucket) ? bucket : (limit.Burst, now);
            tokens = Math.Min(limit.Burst, tokens + ((now - at) / limit.Interval));
            if (tokens >= 1)
            {
                _buckets[channel] = (tokens - 1, now);
                return null;
            }

            _buckets[channel] = (tokens, now);
            return Math.Max(1, (int)Math.Ceiling((1 - tokens) * limit.Interval.TotalSeconds));
        }
    }
}

/// <summary>How many posts a channel takes at once, and how soon it takes one more.</summary>
public sealed record PostingRateLimit(int Burst, TimeSpan Interval)
{
    /// <summary>Slack's own (unpublished burst; its documented pace is one a second).</summary>
    public static PostingRateLimit Slack { get; } = new(5, TimeSpan.FromSeconds(1));
}
