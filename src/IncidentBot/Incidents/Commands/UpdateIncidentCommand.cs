using IncidentBot.Incidents.Updates;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident update &lt;text&gt;</c>: a status update, posted here and to stakeholders, on the timeline and the card.</summary>
internal sealed class UpdateIncidentCommand(IncidentBotDbContext db, StatusUpdates updates) : IncidentChannelCommand(db)
{
    public const string Command = "update";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var text = TimelineWriter.FromCommand(command.Text);
        if (StatusUpdates.Problem(text) is { } problem)
        {
            return IncidentReplies.Usage("update <text>", problem);
        }

        await updates.PostAsync(incident, text, command.UserId, cancellationToken);
        return SlashCommandResponse.Ephemeral($"Status update of {incident.Reference} posted; the incident card shows it.");
    }
}
