using IncidentBot.Slack.Wire;

namespace IncidentBot.SlackFake.SocketMode;

/// <summary>
/// The upgraded connection under a fake Socket Mode WebSocket. Once <see cref="Silence"/>d it becomes a black hole:
/// what the bot sends is read and thrown away (so its pings get no pong) and nothing is written back, while the TCP
/// connection stays up. That is the failure a keep-alive must catch: a link that is open but dead.
/// </summary>
internal sealed class LinkStream(Stream inner) : PassThroughStream(inner)
{
    private volatile bool _silent;

    public bool IsSilent => _silent;

    public override bool CanRead => true;
    public override bool CanWrite => true;

    protected override bool PassesWrites => !_silent;

    public void Silence() => _silent = true;

    protected override bool OnRead(int bytesRead) => !_silent;
}
