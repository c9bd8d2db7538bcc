using System.Net.WebSockets;
using System.Text.Json;

namespace IncidentBot.Slack.SocketMode;

/// <summary>Why a connection stopped being useful; the service then replaces it.</summary>
internal enum ConnectionEndKind
{
    /// <summary>Slack sent <c>disconnect</c>; the socket still works until Slack closes it.</summary>
    Disconnect,

    /// <summary>Nothing received for the idle timeout: the link is dead or stuck.</summary>
    Silent,

    /// <summary>The socket closed or failed.</summary>
    Closed,
}

internal sealed record ConnectionEnd(ConnectionEndKind Kind, string Reason);

/// <summary>Slack answered the connection with <c>disconnect</c> instead of <c>hello</c>.</summary>
internal sealed class SocketModeRefusedException(string reason)
    : Exception($"Slack refused the Socket Mode connection: {reason}")
{
    public string Reason { get; } = reason;
}

/// <summary>
/// One Socket Mode WebSocket (slack-protocol.md §5): connects, waits for <c>hello</c>, then keeps a receive loop
/// running (ClientWebSocket answers Slack's pings only while a receive is pending), hands each envelope to the
/// <see cref="EnvelopeHandler"/> without blocking the loop, and sends each ack once its handling succeeded.
/// A watchdog on <see cref="TimeProvider"/> reports the connection silent when nothing at all arrived for the idle
/// timeout; we ping every third of it, so a healthy link always has pongs to show.
/// </summary>
internal sealed partial class SocketModeConnection : IAsyncDisposable
{
    /// <summary>Slack payloads are far smaller; a frame this large is a broken or hostile peer.</summary>
    private const int MaxMessageBytes = 8 * 1024 * 1024;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    // Real-time bounds on closing, so that a stuck peer or handler cannot hold up a reconnect or a shutdown.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly TrafficMeter _traffic;
    private readonly EnvelopeHandler _handler;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _inFlight = [];

    // One for the connection's life, not one per message (16 KiB each, thousands a second under load): messages are
    // received one at a time (hello, then the receive loop), and each is parsed, into objects of its own, before the
    // next one is read.
    private readonly byte[] _receiveBuffer = new byte[16 * 1024];
    private bool _closing;
    private ITimer? _watchdog;
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;

    private SocketModeConnection(
        int number, ClientWebSocket socket, HttpMessageInvoker invoker, TrafficMeter traffic, EnvelopeHandler handler,
        TimeProvider time, TimeSpan idleTimeout, ILogger logger)
    {
        Number = number;
        _socket = socket;
        _invoker = invoker;
        _traffic = traffic;
        _handler = handler;
        _time = time;
        _idleTimeout = idleTimeout;
        _logger = logger;
        OpenedAt = time.GetTimestamp();
    }

    /// <summary>This process's number for the connection, for logs.</summary>
    public int Number { get; }

    /// <summary>When <c>hello</c> arrived (a <see cref="TimeProvider"/> timestamp).</summary>
    public long OpenedAt { get; }

    public SocketModeHello Hello { get; private set; } = null!;

    /// <summary>Completes with the first reason to replace this connection; the connection may still be receiving.</summary>
    public Task<ConnectionEnd> Ended => _ended.Task;

    /// <summary>Connects to a URL from apps.connections.open and returns once Slack said <c>hello</c>.</summary>
    /// <exception cref="SocketModeRefusedException">Slack sent <c>disconnect</c> first (e.g. <c>link_disabled</c>).</exception>
    public static async Task<SocketModeConnection> OpenAsync(
        Uri url, int number, EnvelopeHandler handler, TimeProvider time, TimeSpan idleTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        var traffic = new TrafficMeter(time);
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult(traffic.Wrap(context.PlaintextStream)),
        });
        var socket = new ClientWebSocket();

        // Our pings make Slack answer even when no event flows, which is what the idle watchdog counts on; they
        // also keep NATs and proxies from dropping a quiet connection. A timeout is what makes .NET send PINGs
        // (without one it sends unsolicited PONGs, which nobody answers); Slack's pongs can take several seconds,
        // so it is the whole idle timeout, by which time the watchdog has usually acted already.
        socket.Options.KeepAliveInterval = idleTimeout / 3;
        socket.Options.KeepAliveTimeout = idleTimeout;
        var connection = new SocketModeConnection(number, socket, invoker, traffic, handler, time, idleTimeout, logger);
        try
        {
            await socket.ConnectAsync(url, invoker, cancellationToken);
            using var helloTimeout = new CancellationTokenSource(HelloTimeout, time);
            using var helloToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, helloTimeout.Token);
            var first = await connection.ReceiveMessageAsync(helloToken.Token)
                ?? throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "Slack closed the connection before hello.");
            connection.Hello = SocketModeMessage.Parse(first.Span) switch
            {
                SocketModeHello hello => hello,
                SocketModeDisconnect disconnect => throw new SocketModeRefusedException(disconnect.Reason),
                var other => throw new WebSocketException(WebSocketError.InvalidState, $"Expected hello, got {other.GetType().Name}."),
            };
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts receiving envelopes and watching for silence.</summary>
    public void Start()
    {
        _receiveLoop = ReceiveLoopAsync();
        var period = _idleTimeout / 4;
        _watchdog = _time.CreateTimer(_ => CheckIdle(), null, period, period);
    }

    /// <summary>
    /// Stops taking envelopes (those that still arrive stay unacked, so Slack redelivers them on another connection),
    /// lets the ones in hand finish and be acked, then closes: with the close handshake when the peer is responsive.
    /// </summary>
    public async Task CloseAsync(bool handshake)
    {
        Task[] inFlight;
        lock (_gate)
        {
            _closing = true;
            inFlight = [.. _inFlight];
        }

        _watchdog?.Dispose();
        await Task.WhenAll(inFlight).WaitAsync(DrainTimeout, TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        if (handshake && _socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }

                // The receive loop ends when Slack's close frame comes back.
                await _receiveLoop.WaitAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                Log.CloseHandshakeFailed(_logger, Number, exception.Message);
            }
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_gate)
        {
            _closing = true;
        }

        _watchdog?.Dispose();
        await _lifetime.CancelAsync();
        _socket.Abort();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] inFlight;
        lock (_gate)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _ended.TrySetResult(new ConnectionEnd(ConnectionEndKind.Closed, "closed by us"));
        _socket.Dispose();
        _invoker.Dispose();
        _lifetime.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        ConnectionEnd end;
        try
        {
            while (true)
            {
                var message = await ReceiveMessageAsync(_lifetime.Token);
                if (message is null)
                {
                    end = new ConnectionEnd(ConnectionEndKind.Closed, $"closed by Slack ({_socket.CloseStatus} {_socket.CloseStatusDescription})".TrimEnd());
                    break;
                }

                OnMessage(message.Value);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            end = new ConnectionEnd(ConnectionEndKind.Closed, "closed by us");
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            end = new ConnectionEnd(ConnectionEndKind.Closed, exception.Message);
        }

        _ended.TrySetResult(end);
    }

    private void OnMessage(ReadOnlyMemory<byte> message)
    {
        SocketModeMessage parsed;
        try
        {
            parsed = SocketModeMessage.Parse(message.Span);
        }
        catch (JsonException exception)
        {
            Log.Unreadable(_logger, Number, exception.Message);
            return;
        }

        switch (parsed)
        {
            case SocketModeEnvelope envelope:
                lock (_gate)
                {
                    if (_closing)
                    {
                        Log.NotTaken(_logger, Number, envelope.EnvelopeId);
                        return;
                    }

                    var handling = HandleAsync(envelope);
                    _inFlight.Add(handling);
                    _inFlight.RemoveWhere(t => t.IsCompleted);
                }

                break;

            case SocketModeDisconnect disconnect:
                Log.DisconnectReceived(_logger, Number, disconnect.Reason);
                _ended.TrySetResult(new ConnectionEnd(ConnectionEndKind.Disconnect, disconnect.Reason));
                break;

            default:
                Log.UnexpectedMessage(_logger, Number, parsed.GetType().Name);
                break;
        }
    }

    private async Task HandleAsync(SocketModeEnvelope envelope)
    {
        // Off the receive loop, so that a slow handler delays neither other envelopes nor the answers to pings.
        await Task.Yield();
        var ack = await _handler.HandleAsync(envelope, _lifetime.Token);
        if (ack is null)
        {
            return;
        }

        try
        {
            await _sendLock.WaitAsync(_lifetime.Token);
            try
            {
                await _socket.SendAsync(ack.ToUtf8(), WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);
            }
            finally
            {
                _sendLock.Release();
            }

            Log.Acked(_logger, Number, envelope.EnvelopeId, envelope.Type, ack.Payload is not null);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Handled but not acknowledged: Slack redelivers, and the redelivery guard acks that without handling it again.
            Log.AckFailed(_logger, Number, envelope.EnvelopeId, exception.Message);
        }
    }

    private void CheckIdle()
    {
        var quiet = _traffic.SinceLastReceived;
        if (quiet >= _idleTimeout && _ended.TrySetResult(new ConnectionEnd(ConnectionEndKind.Silent, $"nothing received for {quiet.TotalSeconds:0} s")))
        {
            Log.Silent(_logger, Number, quiet.TotalSeconds);
        }
    }

    /// <summary>
    /// One whole text message, or null when the peer closed the connection. It is valid until the next receive only:
    /// a message that came in one read is the receive buffer itself; a longer one is gathered in a stream of its own.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>?> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        MemoryStream? gathered = null;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_receiveBuffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (result.EndOfMessage && gathered is null)
            {
                return _receiveBuffer.AsMemory(0, result.Count);
            }

            gathered ??= new MemoryStream();
            if (gathered.Length + result.Count > MaxMessageBytes)
            {
                throw new WebSocketException(WebSocketError.Faulted, $"A message over {MaxMessageBytes} bytes.");
            }

            gathered.Write(_receiveBuffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return gathered.GetBuffer().AsMemory(0, (int)gathered.Length);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1420, Level = LogLevel.Debug, Message = "Socket Mode connection {Connection} acknowledged envelope {EnvelopeId} ({EnvelopeType}, with payload: {WithPayload})")]
        public static partial void Acked(ILogger logger, int connection, string envelopeId, string envelopeType, bool withPayload);

        [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Socket Mode connection {Connection} could not acknowledge envelope {EnvelopeId} ({Reason}); Slack will deliver it again")]
        public static partial void AckFailed(ILogger logger, int connection, string envelopeId, string reason);

        [LoggerMessage(EventId = 1422, Level = LogLevel.Information, Message = "Socket Mode connection {Connection} received disconnect ({Reason})")]
        public static partial void DisconnectReceived(ILogger logger, int connection, string reason);

        [LoggerMessage(EventId = 1423, Level = LogLevel.Warning, Message = "Socket Mode connection {Connection} received nothing for {QuietSeconds:0} s, not even a pong; replacing it")]
        public static partial void Silent(ILogger logger, int connection, double quietSeconds);

        [LoggerMessage(EventId = 1424, Level = LogLevel.Debug, Message = "Socket Mode connection {Connection} is closing; envelope {EnvelopeId} left unacknowledged for another connection")]
        public static partial void NotTaken(ILogger logger, int connection, string envelopeId);

        [LoggerMessage(EventId = 1425, Level = LogLevel.Warning, Message = "Socket Mode connection {Connection} received an unreadable frame: {Reason}")]
        public static partial void Unreadable(ILogger logger, int connection, string reason);

        [LoggerMessage(EventId = 1426, Level = LogLevel.Debug, Message = "Socket Mode connection {Connection} ignored a {MessageType} frame")]
        public static partial void UnexpectedMessage(ILogger logger, int connection, string messageType);

        [LoggerMessage(EventId = 1427, Level = LogLevel.Debug, Message = "Socket Mode connection {Connection} closed without the close handshake ({Reason})")]
        public static partial void CloseHandshakeFailed(ILogger logger, int connection, string reason);
    }
}
