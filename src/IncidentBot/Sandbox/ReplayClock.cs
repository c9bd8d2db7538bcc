namespace IncidentBot.Sandbox;

/// <summary>
/// Real time shifted to another moment, for replaying a past incident at its own times. Only "now" moves: timers and
/// timeouts keep running on real time, so a jump of hours between two replayed messages never fires a timeout.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private bool _started;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return System.GetUtcNow() + _offset;
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
            var now = System.GetUtcNow();
            if (!_started || instant > now + _offset)
            {
                _offset = instant - now;
                _started = true;
            }
        }
    }
}
