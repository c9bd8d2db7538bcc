using System.Text.Json;

namespace IncidentBot.SlackFake.Driver;

/// <summary>A POST the bot made to a response_url, accepted or not.</summary>
public sealed record ResponseUrlPost(
    string ResponseUrlId,
    string RawBody,
    int StatusCode,
    string? Error,
    string? Text,
    JsonElement? Blocks,
    string? ResponseType,
    bool ReplaceOriginal,
    bool DeleteOriginal,
    string? ThreadTs,
    DateTimeOffset Time)
{
    public bool Accepted => StatusCode == 200;
}

/// <summary>
/// response_urls handed to the bot: up to 5 uses within 30 minutes (§2.4), by the fake's clock.
/// </summary>
public sealed class ResponseUrlRegistry(FakeSlackOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly List<ResponseUrlPost> _posts = [];

    public IReadOnlyList<ResponseUrlPost> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _posts];
            }
        }
    }

    public IReadOnlyList<ResponseUrlPost> For(string responseUrlId)
    {
        lock (_gate)
        {
            return [.. _posts.Where(p => p.ResponseUrlId == responseUrlId)];
        }
    }

    /// <summary>Issues a response_url id for an interaction in <paramref name="channelId"/> by <paramref name="userId"/>.</summary>
    public string Issue(string channelId, string userId)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _grants[id] = new Grant(channelId, userId, options.Clock.GetUtcNow(), 0);
        }

        return id;
    }

    /// <summary>Counts one use; returns Slack's error (<c>expired_url</c>, <c>used_url</c>) or null, and the channel it belongs to.</summary>
    internal (string? Error, string? ChannelId) Use(string id)
    {
        lock (_gate)
        {
            if (!_grants.TryGetValue(id, out var grant) || options.Clock.GetUtcNow() - grant.Issued > options.ResponseUrlLifetime)
            {
                return ("expired_url", null);
            }

            if (grant.Uses >= options.ResponseUrlMaxUses)
            {
                return ("used_url", grant.ChannelId);
            }

            _grants[id] = grant with { Uses = grant.Uses + 1 };
            return (null, grant.ChannelId);
        }
    }

    internal void Record(ResponseUrlPost post)
    {
        lock (_gate)
        {
            _posts.Add(post);
        }
    }

    private sealed record Grant(string ChannelId, string UserId, DateTimeOffset Issued, int Uses);
}
