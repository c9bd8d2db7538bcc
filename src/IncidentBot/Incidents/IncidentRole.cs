namespace IncidentBot.Incidents;

/// <summary>Who holds one of the configured roles (<c>Incidents:Roles</c>) in an incident; the lead is <see cref="Incident.LeaderUserId"/>.</summary>
public sealed class IncidentRole
{
    public int IncidentId { get; set; }

    /// <summary>The role's name as configured (e.g. <c>Scribe</c>), whatever case it was typed in.</summary>
    public required string Role { get; set; }

    public required string UserId { get; set; }
}
