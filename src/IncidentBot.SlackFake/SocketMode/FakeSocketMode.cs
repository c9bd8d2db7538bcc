using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake.SocketMode;

/// <summary>
/// Slack's side of Socket Mode (slack-protocol.md §5, §10.5): one-use URLs from apps.connections.open, the WebSocket
/// endpoint (hello first, with <c>num_connections</c>; at most <see cref="FakeSlackOptions.MaxSocketConnections"/>),
/// envelopes to one open connection at a time (round robin: Slack's choice is unpredictable, a test's should not be),
/// redelivery with <c>retry_attempt</c>+1 when no ack arrives in time, on a connection the envelope has not been on
/// while there is one (so, with several bot processes connected, possibly in another process), and every ack recorded
/// with its payload. Connections are the app's, whichever process opened them: Slack does not tell them apart.
/// Tests make it misbehave: <c>disconnect</c> messages, dropped or silent connections, lost acks, link_disabled.
/// </summary>
public sealed partial class FakeSocketMode
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly FakeSlackOptions _options;
    private readonly Func<Uri> _baseUrl;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _tickets = [];
    private readonly List<FakeSocketConnection> _connections = [];
    private readonly List<SocketEnvelopeSent> _envelopes = [];
    private readonly List<SocketAck> _acks = [];
    private readonly Dictionary<string, TaskCompletionSource<SocketAck>> _awaitingAck = [];
    private int _sequence;
    private long _envelopesSent;
    private long _acksReceived;
    private int _nextConnectionId;
    private int _roundRobin;
    private int _acksToLose;
    private int _connectionsToRefuse;
    private bool _disabled;

    internal FakeSocketMode(FakeSlackOptions options, Func<Uri> baseUrl, ILogger logger)
    {
        _options = options;
        _baseUrl = baseUrl;
        _logger = logger;
    }

    /// <summary>Every connection the bot opened, in order, open or not.</summary>
    public IReadOnlyList<FakeSocketConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    public IReadOnlyList<FakeSocketConnection> OpenConnections => [.. Connections.Where(c => c.IsOpen)];

    /// <summary>Every envelope sent, redeliveries included (none kept without <see cref="FakeSlackOptions.RecordSocketTraffic"/>).</summary>
    public IReadOnlyList<SocketEnvelopeSent> Envelopes
    {
        get
        {
            lock (_gate)
            {
                return [.. _envelopes];
            }
        }
    }

    /// <summary>Every ack the bot sent, lost ones included (none kept without <see cref="FakeSlackOptions.RecordSocketTraffic"/>).</summary>
    public IReadOnlyList<SocketAck> Acks
    {
        get
        {
            lock (_gate)
            {
                return [.. _acks];
            }
        }
    }

    /// <summary>How many envelopes were sent, redeliveries included, whether or not they are recorded.</summary>
    public long EnvelopesSent
    {
        get
        {
            lock (_gate)
            {
                return _envelopesSent;
            }
        }
    }

    /// <summary>How many acks the bot sent, lost ones included, whether or not they are recorded.</summary>
    public long AcksReceived
    {
        get
        {
            lock (_gate)
            {
                return _acksReceived;
            }
        }
    }

    /// <summary>URLs handed out by apps.connections.open.</summary>
    public int UrlsIssued { get; private set; }

    /// <summary>The next <paramref name="count"/> acks are lost on the way: Slack redelivers those envelopes.</summary>
    public void LoseNextAcks(int count) => Interlocked.Exchange(ref _acksToLose, count);

    /// <summary>The next <paramref name="count"/> connection attempts are answered HTTP 503 instead of being upgraded.</summary>
    public void RefuseNextConnections(int count) => Interlocked.Exchange(ref _connectionsToRefuse, count);

    /// <summary>Socket Mode switched off in the app's settings: <c>link_disabled</c> to every connection, now and on any new one.</summary>
    public async Task DisableAsync()
    {
        lock (_gate)
        {
            _disabled = true;
        }

        await DisconnectAllAsync("link_disabled");
    }

    /// <summary>Sends <c>disconnect</c> with <paramref name="reason"/> on every open connection.</summary>
    public async Task DisconnectAllAsync(string reason)
    {
        foreach (var connection in OpenConnections)
        {
            await connection.SendDisconnectAsync(reason);
        }
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds; throws with <paramref name="what"/> when it does not in time.</summary>
    public async Task WaitUntilAsync(Func<FakeSocketMode, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"Fake Socket Mode: timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until exactly <paramref name="count"/> connections are open (and not silent), and returns them.</summary>
    public async Task<IReadOnlyList<FakeSocketConnection>> WaitForOpenConnectionsAsync(int count, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(s => s.OpenConnections.Count(c => !c.IsSilent) == count, $"{count} open connection(s)", timeout);
        return [.. OpenConnections.Where(c => !c.IsSilent)];
    }

    /// <summary>apps.connections.open: a one-use URL for the WebSocket endpoint.</summary>
    internal Uri IssueUrl()
    {
        var ticket = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _tickets.Add(ticket);
            UrlsIssued++;
        }

        var http = _baseUrl();
        return new Uri($"ws://{http.Authority}/link/?ticket={ticket}&app_id={_options.AppId}");
    }

    /// <summary>
    /// Delivers one envelope with Slack's redeliveries: each attempt goes to one open connection and succeeds when its
    /// ack arrives within <see cref="FakeSlackOptions.AckTimeout"/>; otherwise it is sent again (on a connection it has
    /// not been on, when one is open) with <c>retry_attempt</c>+1, up to <paramref name="retries"/> times.
    /// </summary>
    internal Task<DeliveryResult> DeliverAsync(BotMessage message, int retries, int firstRetryAttempt, string? firstRetryReason, CancellationToken cancellationToken) =>
        DeliverAsync(new Outgoing(message.Path, message.HttpBody, message.EnvelopeType, message.AcceptsResponsePayload, writer => message.SocketPayload.WriteTo(writer)),
            retries, firstRetryAttempt, firstRetryReason, cancellationToken);

    /// <summary>
    /// An <c>events_api</c> envelope carrying <paramref name="eventCallback"/> (an <c>event_callback</c> as UTF-8 JSON,
    /// what an HTTP delivery's body holds), with the same redeliveries as the driver's events. For load that brings
    /// events of its own (bench/IncidentBot.BenchTarget); tests go through the driver.
    /// </summary>
    public Task<DeliveryResult> DeliverEventAsync(ReadOnlyMemory<byte> eventCallback, CancellationToken cancellationToken = default) =>
        DeliverAsync(new Outgoing("/slack/events", Encoding.UTF8.GetString(eventCallback.Span), "events_api", false, writer => writer.WriteRawValue(eventCallback.Span)),
            _options.EventRetryDelays.Count, 0, null, cancellationToken);

    private async Task<DeliveryResult> DeliverAsync(Outgoing message, int retries, int firstRetryAttempt, string? firstRetryReason, CancellationToken cancellationToken)
    {
        var envelopeId = Guid.NewGuid().ToString();
        var attempts = new List<DeliveryAttempt>();
        var tried = new HashSet<int>();
        string? lastFailure = firstRetryReason;
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            if (attempt > 0)
            {
                Log.Redelivering(_logger, envelopeId, message.EnvelopeType, lastFailure ?? "?");
                await Task.Delay(_options.EventRetryDelays[Math.Min(attempt, _options.EventRetryDelays.Count) - 1], cancellationToken);
            }

            var retryAttempt = firstRetryAttempt + attempt;
            var retryReason = retryAttempt == 0 ? "" : lastFailure ?? "timeout";
            var result = await AttemptAsync(envelopeId, message, retryAttempt, retryReason, tried, cancellationToken);
            attempts.Add(result);
            if (result.ConnectionId is { } connectionId)
            {
                tried.Add(connectionId);
            }

            if (result.Succeeded)
            {
                break;
            }

            lastFailure = result.FailureReason;
        }

        return new DeliveryResult(message.Path, message.HttpBody, attempts) { Transport = BotTransport.SocketMode, EnvelopeId = envelopeId };
    }

    private async Task<DeliveryAttempt> AttemptAsync(
        string envelopeId, Outgoing message, int retryAttempt, string retryReason, IReadOnlySet<int> tried, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var connection = await NextConnectionAsync(tried, cancellationToken);
        if (connection is null)
        {
            return Failed("no_connection");
        }

        var acked = new TaskCompletionSource<SocketAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _awaitingAck[envelopeId] = acked;
        }

        try
        {
            var delivered = await connection.SendAsync(Envelope(envelopeId, message, retryAttempt, retryReason));
            lock (_gate)
            {
                _envelopesSent++;
                var sent = new SocketEnvelopeSent(++_sequence, envelopeId, message.EnvelopeType, retryAttempt, retryReason, connection.Id, Lost: !delivered);
                if (_options.RecordSocketTraffic)
                {
                    _envelopes.Add(sent);
                }
            }

            var remaining = _options.AckTimeout - stopwatch.Elapsed;
            try
            {
                var ack = await acked.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken);
                var body = ack.Payload is { } payload ? payload.GetRawText() : "";
                return new DeliveryAttempt(retryAttempt, NullIfEmpty(retryReason), 200, ack.Payload is null ? null : "application/json", body, stopwatch.Elapsed, null, false)
                {
                    ConnectionId = connection.Id,
                };
            }
            catch (TimeoutException)
            {
                return Failed("timeout") with { ConnectionId = connection.Id };
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_awaitingAck.TryGetValue(envelopeId, out var current) && current == acked)
                {
                    _awaitingAck.Remove(envelopeId);
                }
            }
        }

        DeliveryAttempt Failed(string reason) =>
            new(retryAttempt, NullIfEmpty(retryReason), null, null, "", stopwatch.Elapsed, reason, false);
    }

    /// <summary>
    /// The next open connection in turn, skipping those in <paramref name="tried"/> while another is open (Slack
    /// redelivers on another connection); waits up to the ack deadline for one to open.
    /// </summary>
    private async Task<FakeSocketConnection?> NextConnectionAsync(IReadOnlySet<int> tried, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_gate)
            {
                var open = _connections.Where(c => c.IsOpen).ToList();
                var untried = open.Where(c => !tried.Contains(c.Id)).ToList();
                var candidates = untried.Count > 0 ? untried : open;
                if (candidates.Count > 0)
                {
                    return candidates[_roundRobin++ % candidates.Count];
                }
            }

            if (deadline.Elapsed > _options.AckTimeout)
            {
                return null;
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>The WebSocket endpoint behind the URLs: checks the ticket, upgrades, says hello, reads acks until the end.</summary>
    internal async Task HandleAsync(HttpContext http)
    {
        var upgrade = http.Features.Get<IHttpUpgradeFeature>();
        var key = http.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var ticket = http.Request.Query["ticket"].ToString();
        bool refuse;
        lock (_gate)
        {
            if (!_tickets.Remove(ticket))
            {
                // URLs are single-use: a reused or invented one is refused before the upgrade.
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            refuse = _connectionsToRefuse > 0 && _connectionsToRefuse-- > 0;
        }

        if (refuse)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        http.Response.Headers.Upgrade = "websocket";
        http.Response.Headers.Connection = "Upgrade";
        http.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        var link = new LinkStream(await upgrade.UpgradeAsync());

        // Our own stream under the socket is what lets a test silence the link without closing it. The fake sends no
        // keep-alives of its own: every byte the bot receives is one a test caused.
        using var socket = WebSocket.CreateFromStream(link, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        FakeSocketConnection connection;
        string first;
        bool accepted;
        lock (_gate)
        {
            connection = new FakeSocketConnection(++_nextConnectionId, socket, link, http, () => Interlocked.Increment(ref _sequence));
            var open = _connections.Count(c => c.IsOpen);
            accepted = !_disabled && open < _options.MaxSocketConnections;
            first = _disabled ? Disconnect("link_disabled", connection.Id)
                : !accepted ? Disconnect("too_many_websockets", connection.Id)
                : Hello(open + 1, connection.Id);
            _connections.Add(connection);
            if (accepted)
            {
                connection.OpenedSequence = ++_sequence;
            }
        }

        try
        {
            await connection.SendAsync(first);
            if (!accepted)
            {
                await connection.CloseAsync();
            }

            await ReceiveAcksAsync(connection, http.RequestAborted);
        }
        finally
        {
            connection.MarkClosed(connection.IsSilent ? "lost" : "bot");
            Log.Closed(_logger, connection.Id, connection.ClosedBy ?? "?");
        }
    }

    /// <summary>Ends every connection at once (the fake is stopping), so that the server need not wait for them.</summary>
    internal void DropAll()
    {
        foreach (var connection in OpenConnections)
        {
            connection.Drop();
        }
    }

    private async Task ReceiveAcksAsync(FakeSocketConnection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await connection.Socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (connection.Socket.State == WebSocketState.CloseReceived)
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    OnAck(connection, message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private void OnAck(FakeSocketConnection connection, byte[] frame)
    {
        string? envelopeId = null;
        JsonElement? payload = null;
        try
        {
            using var document = JsonDocument.Parse(frame);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                envelopeId = document.RootElement.TryGetProperty("envelope_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                payload = document.RootElement.TryGetProperty("payload", out var p) ? p.Clone() : null;
            }
        }
        catch (JsonException)
        {
        }

        if (envelopeId is null)
        {
            Log.UnreadableFrame(_logger, connection.Id);
            return;
        }

        TaskCompletionSource<SocketAck>? waiting;
        SocketAck ack;
        lock (_gate)
        {
            var lost = _acksToLose > 0;
            if (lost)
            {
                _acksToLose--;
            }

            ack = new SocketAck(++_sequence, envelopeId, connection.Id, payload, lost);
            _acksReceived++;
            if (_options.RecordSocketTraffic)
            {
                _acks.Add(ack);
            }

            waiting = lost ? null : _awaitingAck.GetValueOrDefault(envelopeId);
        }

        waiting?.TrySetResult(ack);
    }

    /// <summary>The envelope as Slack frames it (§5.2), written straight to UTF-8: the payload is not copied into a tree first.</summary>
    private static ReadOnlyMemory<byte> Envelope(string envelopeId, Outgoing message, int retryAttempt, string retryReason)
    {
        var buffer = new ArrayBufferWriter<byte>(message.HttpBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SlackJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", envelopeId);
            writer.WriteString("type", message.EnvelopeType);
            writer.WriteBoolean("accepts_response_payload", message.AcceptsResponsePayload);
            writer.WriteNumber("retry_attempt", retryAttempt);
            writer.WriteString("retry_reason", retryReason);
            writer.WritePropertyName("payload");
            message.WritePayload(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private string Hello(int numConnections, int connectionId) => SlackJson.Serialize(new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = numConnections,
        ["debug_info"] = new JsonObject
        {
            ["host"] = $"applink-fake-{connectionId}",
            ["build_number"] = 1,
            ["approximate_connection_time"] = 18060,
        },
        ["connection_info"] = new JsonObject { ["app_id"] = _options.AppId },
    });

    private static string Disconnect(string reason, int connectionId) => SlackJson.Serialize(new JsonObject
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["debug_info"] = new JsonObject { ["host"] = $"applink-fake-{connectionId}" },
    });

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>What an envelope carries, whichever way its payload is held.</summary>
    private sealed record Outgoing(string Path, string HttpBody, string EnvelopeType, bool AcceptsResponsePayload, Action<Utf8JsonWriter> WritePayload);

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Envelope {EnvelopeId} ({EnvelopeType}) not acknowledged ({Reason}); delivering it again")]
        public static partial void Redelivering(ILogger logger, string envelopeId, string envelopeType, string reason);

        [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Socket Mode connection {ConnectionId} ended ({ClosedBy})")]
        public static partial void Closed(ILogger logger, int connectionId, string closedBy);

        [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Socket Mode connection {ConnectionId}: the bot sent a frame that is not an ack")]
        public static partial void UnreadableFrame(ILogger logger, int connectionId);
    }
}
