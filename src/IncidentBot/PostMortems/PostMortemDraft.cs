using IncidentBot.Incidents;

namespace IncidentBot.PostMortems;

/// <summary>
/// What the draft says, in plain text (Slack markup resolved: mentions are names, escapes undone). The template
/// renders it to Markdown (escaping user text for Markdown); the Slack messages are made from that Markdown.
/// </summary>
public sealed record PostMortemDraft
{
    public required int IncidentId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required DateTime DeclaredAt { get; init; }
    public required DateTime ResolvedAt { get; init; }
    public required string Leader { get; init; }

    /// <summary>The configured roles someone held at the end (<c>/incident role</c>), in the configured order, by name.</summary>
    public IReadOnlyList<DraftRole> Roles { get; init; } = [];
    public required string DeclaredBy { get; init; }
    public string? Severity { get; init; }
    public string? ChannelName { get; init; }
    public IReadOnlyList<DraftEntry> Notes { get; init; } = [];
    public IReadOnlyList<DraftEntry> Timeline { get; init; } = [];
    public IReadOnlyList<DraftEntry> ContributingFactors { get; init; } = [];
    public IReadOnlyList<DraftEntry> StabilizationSteps { get; init; } = [];
    public IReadOnlyList<DraftEntry> CorrectiveActions { get; init; } = [];

    /// <summary>The story as the lead told it (<c>/incident describe|impact|meeting</c>); null: the draft keeps its prompt.</summary>
    public string? Description { get; init; }
    public string? Impact { get; init; }
    public string? Meeting { get; init; }

    /// <summary>
    /// Started, detected, mitigated and resolved, each set by hand, measured or unknown (see <see cref="KeyMoments"/>);
    /// empty when none was set by hand, and then Impact reads as it always did (the measured duration only).
    /// </summary>
    public IReadOnlyList<KeyMomentValue> KeyMoments { get; init; } = [];

    /// <summary>The draft's date: the day the incident was declared (UTC).</summary>
    public string TitleLine => $"{DeclaredAt:yyyy-MM-dd} - {Title}";

    public TimeSpan Duration => ResolvedAt - DeclaredAt;

    /// <summary>The first timeline entry, when it comes before the declaration (the trouble started earlier).</summary>
    public DateTime? FirstSignAt => Timeline.Count > 0 && Timeline[0].At < DeclaredAt ? Timeline[0].At : null;
}

public sealed record DraftEntry(DateTime At, string Author, string Text, bool IsLifecycle);

/// <summary>A role and the name of who held it.</summary>
public sealed record DraftRole(string Role, string Holder);
