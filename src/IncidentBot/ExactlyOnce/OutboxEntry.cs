namespace IncidentBot.ExactlyOnce;

/// <summary>
/// One write to Slack that must happen once (a post, a file share, a channel, an invite), by its logical key, e.g.
/// <c>incident/12/announcement</c>. The row is written before the first attempt, so a later attempt knows an earlier
/// one may have landed; <see cref="SentAt"/> is set the moment Slack's answer is known. It is the bot's one record
/// of "already sent".
/// </summary>
public sealed class OutboxEntry
{
    public required string Key { get; set; }

    /// <summary>
    /// Made at the first attempt and never reused: with the installation's id it tags the write in Slack, so a lost
    /// answer is matched to this attempt only, never to another install's post, nor to one made before a database
    /// restore gave the same key to other work.
    /// </summary>
    public required string Token { get; set; }

    /// <summary>When the first attempt began: a lost post cannot have landed earlier.</summary>
    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>
    /// The process whose attempt is under way (its <see cref="OutboxClaimant"/>), and until when its lease stands
    /// (<see cref="ClaimedUntil"/>, on the database's clock: <see cref="LeaseClock"/>), renewed while the write runs.
    /// </summary>
    public string? ClaimedBy { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    /// <summary>Where it landed.</summary>
    public string? ChannelId { get; set; }

    /// <summary>What Slack returned: a message ts, a file, channel or canvas id.</summary>
    public string? SlackId { get; set; }
}

/// <summary>This installation: its id is made at first start and goes into every outbox tag.</summary>
public sealed class Installation
{
    public const int SingleRow = 1;

    public int Id { get; set; } = SingleRow;

    public required string InstallId { get; set; }

    public DateTime CreatedAt { get; set; }
}
