using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// The resilience pipeline of the Web API client, declared once (STYLE.md convention 10):
/// a total timeout, then retries, then a per-attempt timeout.
/// <list type="bullet">
/// <item>Rate limits (HTTP 429, or <c>ratelimited</c> in a 200) are retried for every method, after Slack's
/// Retry-After (capped): Slack refused the call, so nothing happened and repeating it is safe.</item>
/// <item>Server faults, timeouts and dropped connections are retried, with exponential backoff and jitter, only for
/// reads. A write whose outcome is unknown surfaces as <see cref="SlackUnavailableException"/> so that its caller can
/// check whether it landed (an idempotency key) before sending again: exactly once, not "never twice".</item>
/// <item>A connection that was never established carried nothing, so it is retried for writes too.</item>
/// <item>Caller errors (<c>channel_not_found</c>, <c>invalid_auth</c>, <c>not_in_channel</c>, …) are never retried.</item>
/// </list>
/// Polly's delays and timeouts run on the <see cref="TimeProvider"/> from DI, so tests control time.
/// </summary>
public static partial class SlackResilience
{
    public static readonly HttpRequestOptionsKey<SlackMethod> MethodKey = new("IncidentBot.SlackMethod");

    private static readonly HashSet<string> RateLimitCodes = ["ratelimited", "rate_limited"];
    private static readonly HashSet<string> ServerFaultCodes = ["internal_error", "fatal_error", "service_unavailable", "request_timeout"];

    public static bool IsRateLimitCode(string error) => RateLimitCodes.Contains(error);

    public static bool IsServerFaultCode(string error) => ServerFaultCodes.Contains(error);

    public static IHttpResiliencePipelineBuilder AddSlackResilience(this IHttpClientBuilder client) =>
        client.AddResilienceHandler("slack", static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<SlackApiResilienceOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlackResilience));
            var metrics = context.ServiceProvider.GetRequiredService<SlackApiMetrics>();
            pipeline
                .AddTimeout(new TimeoutStrategyOptions { Name = "slack-total", Timeout = options.TotalTimeout })
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    Name = "slack-retry",
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BackoffBase,
                    MaxDelay = options.MaxRetryDelay,
                    ShouldHandle = ShouldRetryAsync,
                    DelayGenerator = args => ValueTask.FromResult(RateLimitDelay(args.Outcome, options.MaxRetryDelay)),
                    OnRetry = async args =>
                    {
                        // One line per retry, no stack trace (Polly's own telemetry is silenced in appsettings.json).
                        var method = args.Context.GetRequestMessage()?.Options.TryGetValue(MethodKey, out var m) == true ? m.Name : "?";
                        var reason = args.Outcome.Exception?.Message ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}";
                        Log.Retrying(logger, method, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, reason);
                        metrics.Retried(method, await RetryReasonAsync(args.Outcome, args.Context.CancellationToken));
                    },
                })
                .AddTimeout(new TimeoutStrategyOptions { Name = "slack-attempt", Timeout = options.AttemptTimeout });
        });

    /// <summary>Slack's Retry-After, if the response has one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return response.Headers.TryGetValues("Retry-After", out var values)
               && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var method = args.Context.GetRequestMessage()?.Options.TryGetValue(MethodKey, out var m) == true ? m : null;
        var isRead = method?.Kind == SlackCallKind.Read;

        switch (args.Outcome)
        {
            case { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } }:
                return true;
            case { Exception: HttpRequestException or TimeoutRejectedException }:
                return isRead;
            case { Exception: not null }:
                return false;
            case { Result.StatusCode: HttpStatusCode.TooManyRequests }:
                return true;
            case { Result: { } response } when (int)response.StatusCode >= 500:
                return isRead;
            case { Result: { StatusCode: HttpStatusCode.OK } response }:
                var error = await PeekErrorAsync(response, args.Context.CancellationToken);
                return error is not null && (IsRateLimitCode(error) || (isRead && IsServerFaultCode(error)));
            default:
                return false;
        }
    }

    /// <summary>Why an attempt is retried, in a few words fit for a metric tag.</summary>
    private static async ValueTask<string> RetryReasonAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => "connection",
        { Exception: TimeoutRejectedException } => "timeout",
        { Exception: not null } => "network",
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => SlackApiMetrics.RateLimited,
        { Result: { } response } when (int)response.StatusCode >= 500 => "server_error",
        { Result: { } response } when await PeekErrorAsync(response, cancellationToken) is { } error && IsRateLimitCode(error) => SlackApiMetrics.RateLimited,
        _ => "server_error",
    };

    private static TimeSpan? RateLimitDelay(Outcome<HttpResponseMessage> outcome, TimeSpan cap) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            ? Min(RetryAfter(response) ?? TimeSpan.FromSeconds(1), cap)
            : null;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The <c>error</c> of an <c>ok:false</c> body, read from the buffered content so the caller can still read it.</summary>
    private static async Task<string?> PeekErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            bool? ok = null;
            string? error = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("ok"u8))
                {
                    reader.Read();
                    ok = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (ok == true || (ok == false && error is not null))
                {
                    break;
                }
            }

            return ok == false ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public static partial class SlackResilience
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1220, Level = LogLevel.Warning, Message = "Slack {Method} failed ({Reason}); retry {Retry} in {DelaySeconds:0.###} s")]
        public static partial void Retrying(ILogger logger, string method, int retry, double delaySeconds, string reason);
    }
}

/// <summary>Limits of the Web API client's retries (section <c>Slack:Resilience</c>).</summary>
public sealed class SlackApiResilienceOptions
{
    public const string Section = "Slack:Resilience";

    [System.ComponentModel.DataAnnotations.Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap on any one wait, Retry-After included: a longer Retry-After waits this long, then tries again.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);
}
