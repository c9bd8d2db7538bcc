using IncidentBot.Storage;
using IncidentBot.People;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident lead @person</c>: hands the incident to a new Incident Leader.</summary>
internal sealed class LeadIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline, PeopleDirectory people) : IncidentChannelCommand(db)
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

        if (leader == incident.LeaderUserId)
        {
            return SlashCommandResponse.Ephemeral($"<@{leader}> already leads {incident.Reference}; nothing was changed.");
        }

        incident.LeaderUserId = leader;
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, $"Incident Leader is now <@{leader}>");
        await timeline.SaveAsync(cancellationToken);
        await people.EnsureKnownAsync(leader, cancellationToken);
        return SlashCommandResponse.Ephemeral($"<@{leader}> now leads {incident.Reference}.");
    }
}
