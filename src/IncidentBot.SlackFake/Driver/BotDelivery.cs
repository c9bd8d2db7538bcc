using System.Globalization;
using IncidentBot.SlackFake.SocketMode;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// Sends signed requests to the bot and applies Slack's delivery rules (§3.3): a non-2xx reply
/// or one slower than the deadline fails the attempt; events are retried up to three times with
/// <c>X-Slack-Retry-Num</c>/<c>-Reason</c> unless the bot answered <c>X-Slack-No-Retry: 1</c>.
/// With <see cref="FakeSlackOptions.Transport"/> set to Socket Mode, the same messages go as envelopes instead.
/// </summary>
internal sealed partial class BotDelivery(FakeSlackOptions options, BotHttpEndpoint endpoint, FakeSocketMode socketMode, SlackRequestSigner signer, ILogger<BotDelivery> logger)
{
    private readonly Lock _gate = new();
    private readonly List<DeliveryResult> _log = [];

    public IReadOnlyList<DeliveryResult> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Whether Slack would deliver to the bot now: over HTTP only once it knows where the bot listens.</summary>
    public bool CanDeliver => options.Transport == BotTransport.SocketMode || endpoint.BaseUrl is not null;

    /// <summary>
    /// Delivers over the configured transport. Over HTTP, <paramref name="withRetries"/> applies Slack's event retries;
    /// over Socket Mode every envelope is redelivered until acknowledged (Slack retries any unacked envelope).
    /// A non-zero <paramref name="retryNum"/> sends one redelivery with that number, for de-duplication tests.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(BotMessage message, bool withRetries, int retryNum, string? retryReason, CancellationToken cancellationToken)
    {
        if (options.Transport == BotTransport.SocketMode)
        {
            var retries = retryNum > 0 ? 0 : options.EventRetryDelays.Count;
            return Remember(await socketMode.DeliverAsync(message, retries, retryNum, retryReason, cancellationToken));
        }

        return retryNum > 0 || !withRetries
            ? await SendOnceAsync(message.Path, message.HttpBody, message.ContentType, true, null, null, retryNum, retryReason, cancellationToken)
            : await SendWithRetriesAsync(message.Path, message.HttpBody, message.ContentType, cancellationToken);
    }

    /// <summary>One request, no retries (slash commands, interactions, tests' raw requests).</summary>
    public async Task<DeliveryResult> SendOnceAsync(
        string path, string body, string contentType, bool signed, long? timestamp,
        IReadOnlyDictionary<string, string>? extraHeaders, int retryNum, string? retryReason, CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(path, body, contentType, signed, timestamp, extraHeaders, retryNum, retryReason, null, cancellationToken);
        return Remember(new DeliveryResult(path, body, [attempt]));
    }

    /// <summary>
    /// An event delivery with Slack's retries, each to another replica than the attempt it repeats; the retry delays
    /// are compressed (<see cref="FakeSlackOptions.EventRetryDelays"/>). With <see cref="FakeSlackOptions.RetryAcknowledgedEvents"/>
    /// an acknowledged event is retried once all the same.
    /// </summary>
    public async Task<DeliveryResult> SendWithRetriesAsync(string path, string body, string contentType, CancellationToken cancellationToken)
    {
        var attempts = new List<DeliveryAttempt>();
        var firstReplica = endpoint.NextReplica(notTo: null);
        var first = AttemptAsync(path, body, contentType, signed: true, null, null, 0, null, firstReplica, cancellationToken);
        if (options.RetryAcknowledgedEvents == AcknowledgedEventRetry.WhileAnswering && options.EventRetryDelays.Count > 0)
        {
            // Slack gave up waiting: its retry leaves while the first attempt is still being answered.
            await Task.Delay(options.EventRetryDelays[0], cancellationToken);
            var overlapping = AttemptAsync(path, body, contentType, signed: true, null, null, 1, "http_timeout", endpoint.NextReplica(firstReplica), cancellationToken);
            attempts.AddRange(await Task.WhenAll(first, overlapping));
        }
        else
        {
            attempts.Add(await first);
        }

        var attempt = attempts[^1];
        for (var retry = attempts.Count; retry <= options.EventRetryDelays.Count && !attempt.Succeeded && !attempt.NoRetry; retry++)
        {
            Log.DeliveryFailed(logger, path, attempt.RetryNum, attempt.FailureReason!);
            await Task.Delay(options.EventRetryDelays[retry - 1], cancellationToken);
            attempt = await AttemptAsync(path, body, contentType, signed: true, null, null, retry, attempt.FailureReason, endpoint.NextReplica(attempt.Replica), cancellationToken);
            attempts.Add(attempt);
        }

        if (attempt.Succeeded && options.RetryAcknowledgedEvents == AcknowledgedEventRetry.AfterTheAnswer && attempts.Count <= options.EventRetryDelays.Count)
        {
            // The 200 reached Slack too late: it retries what the bot did handle.
            await Task.Delay(options.EventRetryDelays[attempts.Count - 1], cancellationToken);
            attempts.Add(await AttemptAsync(path, body, contentType, signed: true, null, null, attempts.Count, "http_timeout", endpoint.NextReplica(attempt.Replica), cancellationToken));
        }

        return Remember(new DeliveryResult(path, body, attempts));
    }

    private Task<DeliveryAttempt> AttemptAsync(
        string path, string body, string contentType, bool signed, long? timestamp,
        IReadOnlyDictionary<string, string>? extraHeaders, int retryNum, string? retryReason, Uri? replica, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (signed)
        {
            // Each attempt is signed afresh, with the time it is sent.
            var ts = timestamp ?? options.Clock.GetUtcNow().ToUnixTimeSeconds();
            headers[SlackRequestSigner.TimestampHeader] = ts.ToString(CultureInfo.InvariantCulture);
            headers[SlackRequestSigner.SignatureHeader] = signer.Sign(body, ts);
        }

        if (retryNum > 0)
        {
            headers["X-Slack-Retry-Num"] = retryNum.ToString(CultureInfo.InvariantCulture);
            headers["X-Slack-Retry-Reason"] = retryReason ?? "http_error";
        }

        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }

        return endpoint.SendAsync(replica ?? endpoint.NextReplica(notTo: null), path, body, contentType, headers, retryNum, retryReason, cancellationToken);
    }

    private DeliveryResult Remember(DeliveryResult result)
    {
        lock (_gate)
        {
            _log.Add(result);
        }

        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Delivery to {Path} failed (attempt {RetryNum}, {Reason}); retrying")]
        public static partial void DeliveryFailed(ILogger logger, string path, int retryNum, string reason);
    }
}
