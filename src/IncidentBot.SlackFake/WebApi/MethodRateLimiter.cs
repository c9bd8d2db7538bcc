namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// Slack's tiers (slack-protocol.md §7.1): a limit per method, per workspace, per app, over one-minute windows. A
/// method listed in <see cref="FakeSlackOptions.MethodRateLimits"/> has one bucket for the whole workspace; a call into
/// an empty one is refused (429 with Retry-After). chat.postMessage's own limit, per channel, is
/// <see cref="PostingRateLimiter"/>.
/// </summary>
internal sealed class MethodRateLimiter(FakeSlackOptions options)
{
    private readonly TokenBuckets _methods = new(options.Clock);

    /// <summary>Null when the call may go; else the Retry-After, in seconds.</summary>
    public int? Refuse(string methodName) =>
        options.MethodRateLimits.TryGetValue(methodName, out var limit) ? _methods.Take(methodName, limit.Burst, limit.Interval) : null;
}

/// <summary>How many calls of a method the workspace takes at once, and how soon it takes one more.</summary>
public sealed record MethodRateLimit(int Burst, TimeSpan Interval)
{
    /// <summary>A tier's allowance per minute (§7.1), all of it at once in a fresh minute, then evenly.</summary>
    public static MethodRateLimit PerMinute(int allowance) => new(allowance, TimeSpan.FromMinutes(1) / allowance);

    public static MethodRateLimit Tier2 { get; } = PerMinute(20);

    public static MethodRateLimit Tier3 { get; } = PerMinute(50);

    public static MethodRateLimit Tier4 { get; } = PerMinute(100);

    /// <summary>The tiers of the methods the bot calls (§6.2), as Slack documents them.</summary>
    public static IReadOnlyDictionary<string, MethodRateLimit> Slack { get; } = new Dictionary<string, MethodRateLimit>(StringComparer.Ordinal)
    {
        ["chat.update"] = Tier3,
        ["chat.postEphemeral"] = Tier4,
        ["conversations.create"] = Tier2,
        ["conversations.invite"] = Tier3,
        ["conversations.join"] = Tier3,
        ["conversations.setTopic"] = Tier2,
        ["conversations.info"] = Tier3,
        ["conversations.history"] = Tier3,
        ["conversations.replies"] = Tier3,
        ["users.info"] = Tier4,
        ["pins.add"] = Tier2,
        ["reactions.add"] = Tier3,
        ["files.getUploadURLExternal"] = Tier4,
        ["files.completeUploadExternal"] = Tier4,
        ["canvases.create"] = Tier2,
        ["views.open"] = Tier4,
        ["apps.connections.open"] = Tier3,
    };
}
