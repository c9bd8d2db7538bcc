using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident help</c>, and the answer to any sub-command the bot does not know.</summary>
internal sealed class HelpIncidentCommand(IOptions<IncidentsOptions> options, IOptions<TimelineOptions> timelineOptions) : ISlashCommandHandler
{
    public const string Name = "help";

    public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var typed = command.Text.Trim();
        var opening = typed.Length == 0 || typed.Equals(Name, StringComparison.OrdinalIgnoreCase)
            ? ""
            : $"I don't know `/incident {SlackText.Escape(typed.Split(' ')[0])}`. ";
        var text =
            opening + "*`/incident` commands*\n" +
            "• `start <title>`: declare an incident" + (options.Value.CreateChannel ? " (opens a channel for it)" : "") + "; `start` alone opens a form (severity, lead, private)\n" +
            "• `close`: resolve the incident of this channel · `reopen`: make it live again\n" +
            "• `timeline`: review the record (edit, remove, restore or add entries; the story and key moments), live or closed\n" +
            "• `publish`: post a revised post-mortem draft of this channel's closed incident, after changes\n" +
            "• `note <text>`: add a note to the timeline\n" +
            "• `update <text>`: post a status update here and to stakeholders (also the card's *Post update*)\n" +
            "• `lead @person`: hand over the Incident Leader role\n" +
            $"• `role <{string.Join('|', options.Value.RoleNames)}> @person` (or `… clear`): who holds a role\n" +
            $"• `severity <level>`: {string.Join(", ", options.Value.SeverityNames)}\n" +
            "• `factor <text>`, `step <text>`, `action <text>`: add a contributing factor, stabilization step or corrective action\n" +
            "• `describe <text>`, `impact <text>`, `meeting <text>`: tell the draft's Description, Impact and Meeting (a link, \"waived: name\", a date)\n" +
            "• `moment <started|detected|mitigated|resolved> <YYYY-MM-DD HH:MM>`: when impact started, was detected, mitigated, resolved (UTC), for the draft's Impact\n" +
            "  (these two also work after the close, on the incident closed in this channel last)\n" +
            "• `status`: this incident at a glance · `list`: live incidents · `help`: this message\n" +
            IncidentAnnouncement.HowToRecord(timelineOptions.Value);
        return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral(text));
    }
}
