namespace IncidentBot.Incidents;

/// <summary>One incident, from <c>/incident start</c> to <c>/incident close</c>. Times are UTC.</summary>
public sealed class Incident
{
    public int Id { get; set; }

    public required string Title { get; set; }

    public IncidentStatus Status { get; set; }

    /// <summary>The incident's channel: the dedicated one once created, else where it was declared.</summary>
    public string? ChannelId { get; set; }

    public string? ChannelName { get; set; }

    /// <summary>True when the bot opened a channel for it; false when it lives where it was declared.</summary>
    public bool HasDedicatedChannel { get; set; }

    /// <summary>Where <c>/incident start</c> was typed.</summary>
    public required string OriginChannelId { get; set; }

    public required string DeclaredByUserId { get; set; }

    public required string LeaderUserId { get; set; }

    public string? Severity { get; set; }

    public DateTime DeclaredAt { get; set; }

    public DateTime? ClosedAt { get; set; }

    /// <summary>The declaring command's response_url, to answer the declarer after the 3-second acknowledgement.</summary>
    public string? ResponseUrl { get; set; }

    /// <summary>Why opening the incident failed (status <see cref="IncidentStatus.Failed"/>), as told to the declarer.</summary>
    public string? FailureReason { get; set; }

    /// <summary>What happened, as the lead tells it (<c>/incident describe</c>): Slack text, kept as Slack sent it.</summary>
    public string? Description { get; set; }

    /// <summary>Who was affected, how, how many (<c>/incident impact</c>): Slack text, kept as Slack sent it.</summary>
    public string? Impact { get; set; }

    /// <summary>The review meeting (<c>/incident meeting</c>): a link, "waived: …", a date. Slack text, kept as Slack sent it.</summary>
    public string? Meeting { get; set; }

    /// <summary>Key moments set by hand (<c>/incident moment</c>), UTC; null when not set (see <see cref="KeyMoments"/>).</summary>
    public DateTime? ImpactStartedAt { get; set; }

    public DateTime? DetectedAt { get; set; }

    public DateTime? MitigatedAt { get; set; }

    public DateTime? ResolvedAt { get; set; }

    /// <summary>
    /// Declared private: its channel is private (shown only to its members), it is never announced outside it, and
    /// only its members see it in <c>/incident list</c> and App Home; no card or update reaches <c>Incidents:AnnouncementsChannel</c>.
    /// </summary>
    public bool IsPrivate { get; set; }

    /// <summary>The message it was declared from (the "Declare incident from this message" shortcut), linked from its channel.</summary>
    public string? OriginMessageTs { get; set; }
    /// <summary>
    /// Counts the changes the incident card shows (status, severity, lead, roles, the latest update); the card refresh
    /// records in <see cref="CardRenderedVersion"/> the count it rendered, so a refresh a restart lost is found and made.
    /// </summary>
    public int CardVersion { get; set; }

    public int CardRenderedVersion { get; set; }

    public string Reference => $"INC-{Id}";
}

public enum IncidentStatus
{
    /// <summary>Declared; its channel is being created.</summary>
    Opening,

    Live,

    Closed,

    /// <summary>Its channel could not be created; the declarer was told why.</summary>
    Failed,
}
