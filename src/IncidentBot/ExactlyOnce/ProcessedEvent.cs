namespace IncidentBot.ExactlyOnce;

/// <summary>
/// An event this consumer has already handled. Slack delivers at least once; the primary key makes the second
/// delivery a no-op, in the database, so it holds across restarts and replicas.
/// </summary>
public sealed class ProcessedEvent
{
    public required string EventId { get; set; }

    public required string Consumer { get; set; }

    public DateTime ReceivedAt { get; set; }
}
