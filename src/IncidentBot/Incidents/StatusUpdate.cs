namespace IncidentBot.Incidents;

/// <summary>A status update the lead (or anyone) posted: told in the incident channel and to stakeholders, shown on the card.</summary>
public sealed class StatusUpdate
{
    public int Id { get; set; }

    public int IncidentId { get; set; }

    /// <summary>Slack text, kept as Slack sent it; disarmed wherever the bot posts it.</summary>
    public required string Text { get; set; }

    public required string ByUserId { get; set; }

    public DateTime PostedAt { get; set; }

    /// <summary>True once the bot has posted it everywhere it goes; until then the sweep finds it.</summary>
    public bool Told { get; set; }
}
