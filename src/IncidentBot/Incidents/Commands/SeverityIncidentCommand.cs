using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident severity &lt;level&gt;</c>: one of the configured levels (default SEV1..SEV4), case-insensitive.</summary>
internal sealed class SeverityIncidentCommand(IncidentBotDbContext db, IncidentSteering steering, Responders responders, IOptions<IncidentsOptions> options) : IncidentChannelCommand(db)
{
    public const string Command = "severity";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        if (options.Value.Severity(command.Text) is null)
        {
            var why = command.Text.Trim().Length == 0 ? "Say which severity." : $"'{SlackText.Disarm(command.Text.Trim())}' is not a severity here.";
            return IncidentReplies.Usage("severity <level>", $"{why} Choose one of {string.Join(", ", options.Value.SeverityNames)}.");
        }

        if (!await responders.MayAsync(command.UserId, cancellationToken))
        {
            return SlashCommandResponse.Ephemeral(responders.Refusal($"set the severity of {incident.Reference}"));
        }

        return SlashCommandResponse.Ephemeral((await steering.SetSeverityAsync(incident, command.Text, command.UserId, cancellationToken)).Message);
    }
}
