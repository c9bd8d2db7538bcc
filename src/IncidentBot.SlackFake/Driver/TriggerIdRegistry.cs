using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// trigger_ids handed to the bot: single use, valid for 3 s after issue by the fake's clock
/// (§4.4). This is what makes a bot that opens its modal after slow work fail here too.
/// </summary>
public sealed partial class TriggerIdRegistry(FakeSlackOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Trigger> _triggers = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Issues a trigger id in Slack's shape (<c>132456.7890123.abcdef</c>), e.g. for a hand-built block_actions payload.</summary>
    public string Issue(string? userId = null)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var id = string.Create(CultureInfo.InvariantCulture, $"{1000000000 + sequence}.{4744562912 + sequence}.{Guid.NewGuid():N}");
        lock (_gate)
        {
            _triggers[id] = new Trigger(userId, options.Clock.GetUtcNow());
        }

        return id;
    }

    /// <summary>Uses a trigger id; throws Slack's error when it is malformed, unknown, used or expired. Returns the user it was issued for.</summary>
    internal string? Redeem(string triggerId)
    {
        if (!Shape().IsMatch(triggerId))
        {
            throw new FakeSlackException("invalid_trigger_id");
        }

        lock (_gate)
        {
            if (!_triggers.TryGetValue(triggerId, out var trigger))
            {
                throw new FakeSlackException("invalid_trigger_id");
            }

            if (trigger.Used)
            {
                throw new FakeSlackException("exchanged_trigger_id");
            }

            if (options.Clock.GetUtcNow() - trigger.Issued > options.TriggerIdLifetime)
            {
                throw new FakeSlackException("expired_trigger_id");
            }

            _triggers[triggerId] = trigger with { Used = true };
            return trigger.UserId;
        }
    }

    [GeneratedRegex(@"^\d+\.\d+\.[0-9a-f]+$")]
    private static partial Regex Shape();

    private sealed record Trigger(string? UserId, DateTimeOffset Issued, bool Used = false);
}
