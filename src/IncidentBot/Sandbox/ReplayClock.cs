namespace IncidentBot.Sandbox;

/// <summary>
/// The clock of a replayed incident: "now" is the instant of the step being replayed, exactly, and stands still until
/// the next step (real milliseconds spent between two steps must not shift a message's time or a duration). Timers
/// and timeouts keep running on real time, so a jump of hours between two steps never fires a timeout.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _now;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now ?? System.GetUtcNow();
        }
    }

    /// <summary>
    /// Moves "now" to <paramref name="instant"/>: anywhere the first time (the replay's start), then never backwards,
    /// since a message's ts must not go back in time.
    /// </summary>
    public void MoveTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            if (_now is null || instant > _now)
            {
                _now = instant;
            }
        }
    }
}
