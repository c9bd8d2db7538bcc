using System.Net.WebSockets;
using System.Text;
using IncidentBot.SlackFake.Json;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.SlackFake.SocketMode;

/// <summary>One Socket Mode connection the bot opened to the fake; tests use it to misbehave as Slack can.</summary>
public sealed class FakeSocketConnection
{
    private readonly WebSocket _socket;
    private readonly LinkStream _link;
    private readonly HttpContext _http;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<int> _nextSequence;

    internal FakeSocketConnection(int id, WebSocket socket, LinkStream link, HttpContext http, Func<int> nextSequence)
    {
        Id = id;
        _socket = socket;
        _link = link;
        _http = http;
        _nextSequence = nextSequence;
    }

    public int Id { get; }

    /// <summary>When hello was sent, in <see cref="SocketEnvelopeSent.Sequence"/> order.</summary>
    public int OpenedSequence { get; internal set; }

    /// <summary>When the connection ended, in sequence order; null while open.</summary>
    public int? ClosedSequence { get; private set; }

    /// <summary>Said hello and not ended (a connection refused with disconnect at once is never open).</summary>
    public bool IsOpen => OpenedSequence > 0 && ClosedSequence is null;

    /// <summary>Whether it answers nothing any more (<see cref="GoSilent"/>).</summary>
    public bool IsSilent => _link.IsSilent;

    /// <summary>Who ended it: "bot" (close handshake from the bot), "slack" (<see cref="CloseAsync"/>), "dropped", "lost".</summary>
    public string? ClosedBy { get; private set; }

    internal Task Closed => _closed.Task;

    internal WebSocket Socket => _socket;

    /// <summary>Sends <c>disconnect</c> with a reason (<c>warning</c>, <c>refresh_requested</c>, <c>link_disabled</c>…); the socket stays open.</summary>
    public Task SendDisconnectAsync(string reason) => SendAsync(SlackJson.Serialize(new
    {
        type = "disconnect",
        reason,
        debug_info = new { host = $"applink-fake-{Id}" },
    }));

    /// <summary>The link goes dead without closing: nothing reaches the bot, nothing it sends is answered, not even its pings.</summary>
    public void GoSilent() => _link.Silence();

    /// <summary>The TCP connection is cut, with no close handshake.</summary>
    public void Drop()
    {
        ClosedBy ??= "dropped";
        try
        {
            _http.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own meanwhile.
        }
    }

    /// <summary>Slack closes the connection with the close handshake.</summary>
    public async Task CloseAsync()
    {
        ClosedBy ??= "slack";
        try
        {
            await _sendLock.WaitAsync();
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed by fake Slack", CancellationToken.None);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }

    internal Task<bool> SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    internal async Task<bool> SendAsync(ReadOnlyMemory<byte> utf8)
    {
        if (ClosedSequence is not null)
        {
            return false;
        }

        try
        {
            await _sendLock.WaitAsync();
            try
            {
                await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                return !_link.IsSilent;
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    internal void MarkClosed(string closedBy)
    {
        ClosedBy ??= closedBy;
        ClosedSequence ??= _nextSequence();
        _closed.TrySetResult();
    }
}
