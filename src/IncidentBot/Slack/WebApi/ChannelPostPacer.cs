namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Spaces the bot's own bulk posts into one channel to Slack's pace for chat.postMessage (slack-protocol.md §7.1:
/// about one message a second per channel, short bursts tolerated), so a draft of hundreds of messages goes out
/// steadily instead of drawing a 429 every few posts. A few go at once, then one every <see cref="Interval"/>; the
/// turns are kept per channel for the whole process, so two drafts posted in the same channel share one pace. A 429
/// that still happens (another app or replica posting there) is waited out by the client's Retry-After handling
/// (<see cref="SlackResilience"/>), and the pace goes on from there. Waits run on <see cref="TimeProvider"/>.
/// </summary>
public sealed class ChannelPostPacer(TimeProvider time)
{
    /// <summary>Below what Slack tolerates (the fake allows 5), so the burst alone never draws a 429.</summary>
    public const int Burst = 3;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, DateTimeOffset> _nextTurn = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Waits until a post into <paramref name="channel"/> keeps to the pace, and takes that turn.</summary>
    public Task WaitTurnAsync(string channel, CancellationToken cancellationToken)
    {
        // A turn is taken before the wait, so concurrent callers queue one behind the other rather than all at once.
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var turn = _nextTurn.TryGetValue(channel, out var next) && next > now ? next : now;
            wait = turn - ((Burst - 1) * Interval) - now;
            _nextTurn[channel] = turn + Interval;
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }
}
