namespace IncidentBot.Timeline;

/// <summary>
/// One line of the incident's record. Message entries come from a reaction on a Slack message and sit at the
/// message's own time; lifecycle entries and notes come from commands and sit at the time they were given.
/// </summary>
public sealed class TimelineEntry
{
    public long Id { get; set; }

    public int IncidentId { get; set; }

    public EntryKind Kind { get; set; }

    public TimelineSection Section { get; set; }

    /// <summary>UTC: the message's own time (from its ts) for message entries, else when the command was given.</summary>
    public DateTime OccurredAt { get; set; }

    public string? AuthorUserId { get; set; }

    public string Text { get; set; } = "";

    public string? SourceChannelId { get; set; }

    /// <summary>The source message's ts, kept as Slack's exact string.</summary>
    public string? SourceTs { get; set; }

    /// <summary>The bot has not seen the source message yet: a job fetches it from Slack.</summary>
    public bool Pending { get; set; }

    public DateTime RecordedAt { get; set; }

    /// <summary>
    /// Entries given by command are echoed into the incident channel so responders see them; true until done (the
    /// echo's post itself is recorded in the outbox, which makes it happen once).
    /// </summary>
    public bool EchoPending { get; set; }

    /// <summary>Hidden from the draft by a reviewer; kept in the record and restorable (<see cref="TimelineReview"/>).</summary>
    public bool Removed { get; set; }

    /// <summary>
    /// When a reviewer last changed this entry. From then on the review's version is the record: an edit or an
    /// unreaction in Slack no longer changes or drops it.
    /// </summary>
    public DateTime? ReviewedAt { get; set; }

    /// <summary>The text as first recorded, kept when a reviewer rewrites it.</summary>
    public string? OriginalText { get; set; }
}

public enum EntryKind
{
    /// <summary>A Slack message someone marked with a reaction.</summary>
    Message,

    /// <summary>Declared, lead, severity, resolved.</summary>
    Lifecycle,

    /// <summary>Text given with a command: note, factor, step, action.</summary>
    Note,

    /// <summary>Added by a reviewer after the fact (what was said on a call).</summary>
    Added,
}

/// <summary>The sections of the post-mortem draft that grow during the incident.</summary>
public enum TimelineSection
{
    Timeline,
    ContributingFactors,
    StabilizationSteps,
    CorrectiveActions,
}
