namespace IncidentBot.Timeline;

/// <summary>
/// One change a reviewer made to a timeline entry: who, when, and the entry before and after. Never updated or
/// deleted: together with the entry's <see cref="TimelineEntry.OriginalText"/> it is the record of the review.
/// </summary>
public sealed class TimelineRevision
{
    public long Id { get; set; }

    public int IncidentId { get; set; }

    public long EntryId { get; set; }

    public RevisionChange Change { get; set; }

    public string ByUserId { get; set; } = "";

    public DateTime At { get; set; }

    public string? BeforeText { get; set; }

    public DateTime? BeforeOccurredAt { get; set; }

    public TimelineSection? BeforeSection { get; set; }

    public string? AfterText { get; set; }

    public DateTime? AfterOccurredAt { get; set; }

    public TimelineSection? AfterSection { get; set; }
}

public enum RevisionChange
{
    Edited,
    Removed,
    Restored,
    Added,
}
