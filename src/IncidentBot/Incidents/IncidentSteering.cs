using IncidentBot.Incidents.Card;
using IncidentBot.People;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>
/// Who leads and holds the roles, and how severe it is: one place for the commands and the card's forms, which change
/// the same things the same way, each change on the timeline and on the card. Permission is the caller's to check.
/// </summary>
public sealed class IncidentSteering(
    Storage.IncidentBotDbContext db, TimelineWriter timeline, PeopleDirectory people, IncidentCards cards, IOptions<IncidentsOptions> options)
{
    public async Task<IncidentChange> SetSeverityAsync(Incident incident, string? wanted, string userId, CancellationToken cancellationToken)
    {
        var level = options.Value.Severity(wanted)?.Name;
        if (level is null)
        {
            var why = string.IsNullOrWhiteSpace(wanted) ? "Say which severity." : $"'{wanted.Trim()}' is not a severity here.";
            return IncidentChange.Unchanged($"{why} Choose one of {string.Join(", ", options.Value.SeverityNames)}; nothing was changed.");
        }

        if (level == incident.Severity)
        {
            return IncidentChange.Unchanged($"{incident.Reference} is already {level}; nothing was changed.");
        }

        incident.Severity = level;
        return await CommitAsync(incident, userId, $"Severity set to {level}", $"{incident.Reference} is now {level}.", cancellationToken);
    }

    public async Task<IncidentChange> HandOverLeadAsync(Incident incident, string leader, string userId, CancellationToken cancellationToken)
    {
        if (leader == incident.LeaderUserId)
        {
            return IncidentChange.Unchanged($"<@{leader}> already leads {incident.Reference}; nothing was changed.");
        }

        incident.LeaderUserId = leader;
        var change = await CommitAsync(incident, userId, $"Incident Leader is now <@{leader}>", $"<@{leader}> now leads {incident.Reference}.", cancellationToken);
        await people.EnsureKnownAsync(leader, cancellationToken);
        return change;
    }

    /// <summary>Gives a configured role to a person, or clears it with null.</summary>
    public async Task<IncidentChange> SetRoleAsync(Incident incident, string role, string? holder, string userId, CancellationToken cancellationToken)
    {
        var held = await db.IncidentRoles.FindAsync([incident.Id, role], cancellationToken);
        if (held?.UserId == holder)
        {
            return IncidentChange.Unchanged(holder is null
                ? $"Nobody is {role} of {incident.Reference}; nothing was changed."
                : $"<@{holder}> is already {role} of {incident.Reference}; nothing was changed.");
        }

        if (holder is null)
        {
            db.IncidentRoles.Remove(held!);
            return await CommitAsync(incident, userId, $"{role} cleared", $"Nobody is {role} of {incident.Reference} now.", cancellationToken);
        }

        if (held is null)
        {
            db.IncidentRoles.Add(new IncidentRole { IncidentId = incident.Id, Role = role, UserId = holder });
        }
        else
        {
            held.UserId = holder;
        }

        var change = await CommitAsync(incident, userId, $"{role} is now <@{holder}>", $"<@{holder}> is now {role} of {incident.Reference}.", cancellationToken);
        await people.EnsureKnownAsync(holder, cancellationToken);
        return change;
    }

    private async Task<IncidentChange> CommitAsync(Incident incident, string userId, string entry, string said, CancellationToken cancellationToken)
    {
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, entry);
        IncidentCards.Changed(incident);
        await timeline.SaveAsync(cancellationToken);
        cards.Refresh(incident.Id);
        return IncidentChange.Done(said);
    }
}
