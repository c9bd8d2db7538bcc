using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentBot.Telemetry;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Web API calls as their callers saw them (after retries): by method and outcome (<c>ok</c>, <c>error</c> with
/// Slack's error code, <c>rate_limited</c>, <c>unavailable</c>); each retry, by method and reason; and every time
/// Slack refused a call for its rate limit (HTTP 429 or <c>ratelimited</c>), retried or not.
/// </summary>
public sealed class SlackApiMetrics
{
    public const string RateLimited = "rate_limited";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _rateLimits;

    public SlackApiMetrics(IMeterFactory meters)
    {
        var meter = IncidentBotMeter.Create(meters);
        _calls = meter.CreateCounter<long>("incidentbot.slack.api.calls", "{call}", "Slack Web API calls, after retries, by method and outcome");
        _retries = meter.CreateCounter<long>("incidentbot.slack.api.retries", "{retry}", "Slack Web API attempts retried, by method and reason");
        _rateLimits = meter.CreateCounter<long>("incidentbot.slack.api.rate_limits", "{response}", "Slack Web API answers refusing a call for its rate limit (HTTP 429 or ratelimited), retried or not");
    }

    public void Called(string method, string outcome, string? errorCode = null)
    {
        var tags = new TagList { { "slack.method", method }, { "outcome", outcome } };
        if (errorCode is not null)
        {
            tags.Add("slack.error", errorCode);
        }

        _calls.Add(1, tags);
        if (outcome == RateLimited)
        {
            _rateLimits.Add(1, new KeyValuePair<string, object?>("slack.method", method));
        }
    }

    public void Retried(string method, string reason)
    {
        _retries.Add(1, new TagList { { "slack.method", method }, { "reason", reason } });
        if (reason == RateLimited)
        {
            _rateLimits.Add(1, new KeyValuePair<string, object?>("slack.method", method));
        }
    }
}
