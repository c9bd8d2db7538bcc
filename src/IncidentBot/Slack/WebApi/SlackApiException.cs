namespace IncidentBot.Slack.WebApi;

/// <summary>Slack answered <c>ok:false</c>: <see cref="ErrorCode"/> is Slack's machine code (e.g. <c>channel_not_found</c>).</summary>
public class SlackApiException(string method, string errorCode, IReadOnlyList<string>? messages = null)
    : Exception($"Slack {method} failed: {errorCode}{(messages is { Count: > 0 } ? " (" + string.Join("; ", messages) + ")" : "")}")
{
    public string Method { get; } = method;
    public string ErrorCode { get; } = errorCode;

    /// <summary>Slack's human detail from <c>response_metadata.messages</c>, e.g. which block was too long.</summary>
    public IReadOnlyList<string> Messages { get; } = messages ?? [];
}

/// <summary>Still rate-limited after the retries the client allows; <see cref="RetryAfter"/> is Slack's last word.</summary>
public sealed class SlackRateLimitedException(string method, TimeSpan? retryAfter)
    : SlackApiException(method, "ratelimited")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Slack could not be reached or failed (5xx, timeout, dropped connection) after the retries the client allows.
/// For a write, <see cref="OutcomeUnknown"/> says the call may have taken effect: the caller must check before sending again.
/// </summary>
public sealed class SlackUnavailableException(string method, bool outcomeUnknown, string reason, Exception? inner = null)
    : Exception($"Slack {method} unavailable: {reason}{(outcomeUnknown ? " (the call may have taken effect)" : "")}", inner)
{
    public string Method { get; } = method;
    public bool OutcomeUnknown { get; } = outcomeUnknown;
}

/// <summary>Which failures pass with time (worth retrying later), and which are Slack's final word.</summary>
public static class SlackFailures
{
    /// <summary>Slack unreachable or failing (5xx, timeouts), rate-limited, or reporting its own trouble.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SlackUnavailableException => true,
        // The same codes the resilience pipeline treats as Slack's own trouble, so the two never disagree.
        SlackApiException api => SlackResilience.IsRateLimitCode(api.ErrorCode) || SlackResilience.IsServerFaultCode(api.ErrorCode),
        _ => false,
    };
}
