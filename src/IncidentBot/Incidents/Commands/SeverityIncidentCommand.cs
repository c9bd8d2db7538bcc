using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident severity &lt;level&gt;</c>: one of the configured levels (default SEV1..SEV4), case-insensitive.</summary>
internal sealed class SeverityIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline, IOptions<IncidentsOptions> options) : IncidentChannelCommand(db)
{
    public const string Command = "severity";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var levels = options.Value.SeverityNames;
        var level = options.Value.Severity(command.Text)?.Name;
        if (level is null)
        {
            var why = command.Text.Trim().Length == 0 ? "Say which severity." : $"'{SlackText.Disarm(command.Text.Trim())}' is not a severity here.";
            return IncidentReplies.Usage("severity <level>", $"{why} Choose one of {string.Join(", ", levels)}.");
        }

        if (level == incident.Severity)
        {
            return SlashCommandResponse.Ephemeral($"{incident.Reference} is already {level}; nothing was changed.");
        }

        incident.Severity = level;
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, $"Severity set to {level}");
        await timeline.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral($"{incident.Reference} is now {level}.");
    }
}
