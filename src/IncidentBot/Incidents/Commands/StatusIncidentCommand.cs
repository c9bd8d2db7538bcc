using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident status</c>: the incident at a glance, for the asker only.</summary>
internal sealed class StatusIncidentCommand(IncidentBotDbContext db, TimeProvider time) : IncidentChannelCommand(db)
{
    public const string Command = "status";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var counts = await Db.TimelineEntries
            .Where(e => e.IncidentId == incident.Id && !e.Removed)
            .GroupBy(e => e.Section)
            .Select(g => new { Section = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(TimelineSection section) => counts.FirstOrDefault(c => c.Section == section)?.Count ?? 0;

        var live = time.GetUtcNow().UtcDateTime - incident.DeclaredAt;
        return SlashCommandResponse.Ephemeral(
            $"{IncidentReplies.Describe(incident)}, live for {IncidentDuration.Format(live)}\n" +
            $"Incident Leader: <@{incident.LeaderUserId}> · Severity: {incident.Severity ?? "not set"}\n" +
            $"Timeline: {Count(TimelineSection.Timeline)} entries · contributing factors: {Count(TimelineSection.ContributingFactors)} · " +
            $"stabilization steps: {Count(TimelineSection.StabilizationSteps)} · corrective actions: {Count(TimelineSection.CorrectiveActions)}");
    }
}
