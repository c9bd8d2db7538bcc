using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident lead @person</c>: hands the incident to a new Incident Leader.</summary>
internal sealed class LeadIncidentCommand(IncidentBotDbContext db, IncidentSteering steering, Responders responders) : IncidentChannelCommand(db)
{
    public const string Command = "lead";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var leader = SlackText.ParseUserMention(command.Text);
        if (leader is null)
        {
            return IncidentReplies.Usage("lead @person", "Mention exactly one person (type @ and pick them), e.g. `/incident lead @henry`.");
        }

        if (!await responders.MayAsync(command.UserId, cancellationToken))
        {
            return SlashCommandResponse.Ephemeral(responders.Refusal($"hand over the lead of {incident.Reference}"));
        }

        return SlashCommandResponse.Ephemeral((await steering.HandOverLeadAsync(incident, leader, command.UserId, cancellationToken)).Message);
    }
}
