namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// chat.postMessage's special rate limit (slack-protocol.md §7.1): about one message a second per channel, short
/// bursts tolerated. A bucket per channel holds <see cref="PostingRateLimit.Burst"/> posts and regains one every
/// <see cref="PostingRateLimit.Interval"/> on the fake's clock; a post into an empty bucket is refused (429) with the
/// whole seconds until the next one, as Slack's Retry-After says.
/// </summary>
internal sealed class PostingRateLimiter(FakeSlackOptions options)
{
    private readonly TokenBuckets _channels = new(options.Clock);

    /// <summary>Null when the post may go; else the Retry-After, in seconds.</summary>
    public int? Refuse(string methodName, IReadOnlyDictionary<string, string> arguments) =>
        options.PostingRateLimit is { } limit && methodName == "chat.postMessage" && arguments.TryGetValue("channel", out var channel)
            ? _channels.Take(channel, limit.Burst, limit.Interval)
            : null;
}

/// <summary>How many posts a channel takes at once, and how soon it takes one more.</summary>
public sealed record PostingRateLimit(int Burst, TimeSpan Interval)
{
    /// <summary>Slack's own (unpublished burst; its documented pace is one a second).</summary>
    public static PostingRateLimit Slack { get; } = new(5, TimeSpan.FromSeconds(1));
}
