using System.Net.WebSockets;
using System.Text.Json;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Socket Mode (slack-protocol.md §5), when <c>Slack:AppToken</c> is set: keeps <c>Slack:SocketConnections</c>
/// WebSockets open to Slack, each in a slot of its own, and feeds their envelopes to the same dispatcher as the HTTP
/// endpoints. A slot replaces its connection when Slack announces a disconnect or the connection goes silent,
/// opening the new one before dropping the old, so there is no gap; a closed connection is reopened at once, with
/// backoff and jitter when connecting fails or connections keep dying young. A refused app token or Socket Mode
/// switched off in the app stops it with one clear log line: retrying cannot help.
/// </summary>
internal sealed partial class SocketModeService(
    IAppsApi apps,
    IOptions<SlackOptions> options,
    EnvelopeHandler handler,
    SocketModeStatus status,
    TimeProvider time,
    ILogger<SocketModeService> logger) : BackgroundService
{
    internal static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(30);

    /// <summary>A connection that closes younger than this counts as a failure, so a flapping link cannot make us spin.</summary>
    internal static readonly TimeSpan StableLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Errors of apps.connections.open that no retry can fix: the app token itself is wrong.</summary>
    private static readonly HashSet<string> TokenErrors =
        ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "missing_scope"];

    private int _connectionNumber;
    private int _gaveUp;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AppToken))
        {
            return;
        }

        Log.Starting(logger, settings.SocketConnections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAll(Enumerable.Range(1, settings.SocketConnections).Select(slot => RunSlotAsync(slot, stop)));
    }

    private async Task RunSlotAsync(int slot, CancellationTokenSource stop)
    {
        var token = stop.Token;
        SocketModeConnection? current = null;
        var closingDead = Task.CompletedTask;
        var youngDeaths = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (current is null)
                {
                    current = await ConnectAsync(slot, stop);
                    await closingDead;
                    if (current is null)
                    {
                        return;
                    }
                }

                var end = await current.Ended.WaitAsync(token);
                switch (end)
                {
                    case { Kind: ConnectionEndKind.Disconnect } when end.Reason is SocketModeDisconnect.LinkDisabled or SocketModeDisconnect.SocketModeDisabled:
                        if (GiveUp(stop, $"Slack disconnected with {end.Reason}"))
                        {
                            Log.LinkDisabled(logger, end.Reason);
                        }

                        return;

                    case { Kind: ConnectionEndKind.Disconnect or ConnectionEndKind.Silent } when end.Reason != SocketModeDisconnect.TooManyWebsockets:
                        // The old connection keeps receiving and acking until its replacement said hello.
                        Log.Replacing(logger, slot, current.Number, end.Reason);
                        var replacement = await ConnectAsync(slot, stop);
                        await CloseAsync(current, handshake: end.Kind == ConnectionEndKind.Disconnect);
                        current = replacement;
                        youngDeaths = 0;
                        break;

                    default:
                        Log.Closed(logger, slot, current.Number, end.Reason);
                        youngDeaths = time.GetElapsedTime(current.OpenedAt) < StableLifetime ? youngDeaths + 1 : 0;

                        // The envelopes it was handling finish while we reconnect; their acks cannot go out any more,
                        // so Slack redelivers them elsewhere and the redelivery guard acks them without handling again.
                        closingDead = CloseAsync(current, handshake: false);
                        current = null;
                        if (youngDeaths > 1)
                        {
                            // Reconnect at once the first time; a connection that keeps dying young waits, growing.
                            var delay = Backoff(youngDeaths - 1);
                            Log.Waiting(logger, slot, delay.TotalSeconds);
                            await Task.Delay(delay, time, token);
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            await closingDead;
            if (current is not null)
            {
                await CloseAsync(current, handshake: true);
            }
        }
    }

    /// <summary>A new connection that said hello, after as many attempts as it takes; null when stopping.</summary>
    private async Task<SocketModeConnection?> ConnectAsync(int slot, CancellationTokenSource stop)
    {
        var token = stop.Token;
        for (var failures = 1; ; failures++)
        {
            string reason;
            try
            {
                var opened = await apps.ConnectionsOpenAsync(token);
                var url = opened.Url ?? throw new SlackApiException(SlackMethods.AppsConnectionsOpen.Name, "no_url");
                var idleTimeout = options.Value.SocketIdleTimeout;
                var connection = await SocketModeConnection.OpenAsync(url, Interlocked.Increment(ref _connectionNumber), handler, time, idleTimeout, logger, token);
                connection.Start();
                status.Opened();
                Log.Connected(logger, slot, connection.Number, connection.Hello.NumConnections, connection.Hello.DebugInfo?.Host ?? "?");
                return connection;
            }
            catch (SlackApiException exception) when (TokenErrors.Contains(exception.ErrorCode))
            {
                if (GiveUp(stop, $"the app-level token was refused ({exception.ErrorCode})"))
                {
                    Log.AppTokenRefused(logger, exception.ErrorCode);
                }

                return null;
            }
            catch (SocketModeRefusedException exception) when (exception.Reason is SocketModeDisconnect.LinkDisabled or SocketModeDisconnect.SocketModeDisabled)
            {
                if (GiveUp(stop, $"Slack disconnected with {exception.Reason}"))
                {
                    Log.LinkDisabled(logger, exception.Reason);
                }

                return null;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception exception)
            {
                // Slack unavailable or refusing for now (5xx, too_many_websockets, a refused upgrade), a network
                // failure, the hello timeout (an OperationCanceledException), or something unforeseen: all of them
                // get the backoff. Letting an exception out would stop the whole host over one connection.
                reason = exception is SlackApiException or SlackUnavailableException or SocketModeRefusedException
                    or WebSocketException or HttpRequestException or OperationCanceledException or JsonException
                    ? exception.Message
                    : $"{exception.GetType().Name}: {exception.Message}";
            }

            var delay = Backoff(failures);
            Log.ConnectFailed(logger, slot, reason, delay.TotalSeconds);
            await Task.Delay(delay, time, token);
        }
    }

    private async Task CloseAsync(SocketModeConnection connection, bool handshake)
    {
        await connection.CloseAsync(handshake);
        status.Closed();
    }

    /// <summary>Stops every slot; true for the first caller only, so the reason is logged once.</summary>
    private bool GiveUp(CancellationTokenSource stop, string reason)
    {
        if (Interlocked.Exchange(ref _gaveUp, 1) == 1)
        {
            return false;
        }

        status.Stopped(reason);
        stop.Cancel();
        return true;
    }

    /// <summary>Exponential from <see cref="BackoffBase"/> to <see cref="BackoffCap"/>, with "equal jitter": half fixed, half random, never zero.</summary>
    internal static TimeSpan Backoff(int failures, double random = -1)
    {
        var ceiling = Math.Min(BackoffCap.TotalSeconds, BackoffBase.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        var jitter = random is >= 0 and <= 1 ? random : Random.Shared.NextDouble();
        return TimeSpan.FromSeconds((ceiling / 2) + (jitter * ceiling / 2));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Socket Mode on (Slack:AppToken is set): opening {Connections} connection(s) to Slack")]
        public static partial void Starting(ILogger logger, int connections);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Socket Mode slot {Slot}: connection {Connection} open ({NumConnections} open at Slack, host {Host})")]
        public static partial void Connected(ILogger logger, int slot, int connection, int numConnections, string host);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Socket Mode slot {Slot}: replacing connection {Connection} ({Reason}); it keeps working until the new one is open")]
        public static partial void Replacing(ILogger logger, int slot, int connection, string reason);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Socket Mode slot {Slot}: connection {Connection} closed ({Reason}); reconnecting")]
        public static partial void Closed(ILogger logger, int slot, int connection, string reason);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Socket Mode slot {Slot}: could not connect ({Reason}); trying again in {DelaySeconds:0.#} s")]
        public static partial void ConnectFailed(ILogger logger, int slot, string reason, double delaySeconds);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Socket Mode slot {Slot}: connections keep closing soon after opening; waiting {DelaySeconds:0.#} s")]
        public static partial void Waiting(ILogger logger, int slot, double delaySeconds);

        [LoggerMessage(EventId = 1406, Level = LogLevel.Critical, Message = "Slack refused the app-level token ({ErrorCode}). Check Slack:AppToken (Slack__AppToken): it must be the app's current app-level token (xapp-…) with the connections:write scope. Socket Mode is stopped; fix the token and restart")]
        public static partial void AppTokenRefused(ILogger logger, string errorCode);

        [LoggerMessage(EventId = 1407, Level = LogLevel.Critical, Message = "Slack disconnected Socket Mode with {Reason}: Socket Mode is switched off in the app's settings. Not reconnecting: turn Socket Mode on and restart, or remove Slack:AppToken to receive events over HTTP")]
        public static partial void LinkDisabled(ILogger logger, string reason);
    }
}
