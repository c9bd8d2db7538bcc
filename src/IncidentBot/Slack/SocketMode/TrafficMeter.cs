using IncidentBot.Slack.Wire;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// When a connection last received anything at all. It sees the bytes under the WebSocket, so it counts what
/// <see cref="System.Net.WebSockets.ClientWebSocket"/> keeps to itself: Slack's pings and the pongs to ours.
/// That is what tells a quiet-but-alive link (no events for hours) from a dead or stuck one.
/// </summary>
internal sealed class TrafficMeter(TimeProvider time)
{
    private long _lastReceived = time.GetTimestamp();

    public TimeSpan SinceLastReceived => time.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    public void Received() => Interlocked.Exchange(ref _lastReceived, time.GetTimestamp());

    /// <summary>Wraps the connection's plaintext stream (after TLS) so that every read is counted.</summary>
    public Stream Wrap(Stream inner) => new MeteredStream(inner, this);

    private sealed class MeteredStream(Stream inner, TrafficMeter meter) : PassThroughStream(inner)
    {
        protected override bool OnRead(int bytesRead)
        {
            meter.Received();
            return true;
        }
    }
}
