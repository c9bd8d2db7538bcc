namespace IncidentBot.Incidents;

/// <summary>A nudge posted in a quiet incident channel: one per quiet period, which its key (the period's start) makes unique.</summary>
public sealed class Nudge
{
    public int IncidentId { get; set; }

    public DateTime QuietSince { get; set; }

    public string? Ts { get; set; }

    public DateTime PostedAt { get; set; }
}
