namespace IncidentBot.Slack.Payloads;

/// <summary>The outer object of an Events API delivery (<c>event_callback</c>).</summary>
public sealed record EventCallback
{
    public string Type { get; init; } = "event_callback";
    public string? TeamId { get; init; }
    public string? ApiAppId { get; init; }
    public string? EnterpriseId { get; init; }
    public required string EventId { get; init; }
    public long EventTime { get; init; }
    public required SlackEvent Event { get; init; }
    public IReadOnlyList<Authorization>? Authorizations { get; init; }
    public bool IsExtSharedChannel { get; init; }
}

public sealed record Authorization
{
    public string? EnterpriseId { get; init; }
    public string? TeamId { get; init; }
    public string? UserId { get; init; }
    public bool IsBot { get; init; }
    public bool IsEnterpriseInstall { get; init; }
}

/// <summary>How this delivery reached us: Slack retries carry a number and a reason.</summary>
public sealed record SlackDelivery(int RetryNum = 0, string? RetryReason = null)
{
    public static SlackDelivery First { get; } = new();
}
