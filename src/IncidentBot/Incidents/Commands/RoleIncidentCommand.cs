using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident role &lt;role&gt; @person</c> (or <c>… &lt;role&gt; clear</c>): who holds one of the configured roles (any case).</summary>
internal sealed class RoleIncidentCommand(IncidentBotDbContext db, IncidentSteering steering, IOptions<IncidentsOptions> options) : IncidentChannelCommand(db)
{
    public const string Command = "role";
    public const string Clear = "clear";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var roles = options.Value.RoleNames;
        var usage = $"role <{string.Join('|', roles)}> @person";
        var words = command.Text.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < 2)
        {
            return IncidentReplies.Usage(usage, $"Say which role and who, e.g. `/incident role {roles[0]} @henry`, or `/incident role {roles[0]} clear`.");
        }

        if (options.Value.Role(words[0]) is not { } role)
        {
            return IncidentReplies.Usage(usage, $"'{SlackText.Escape(words[0])}' is not a role here; the roles are {string.Join(", ", roles)} (the lead: `/incident lead @person`).");
        }

        string? holder = null;
        if (!words[1].Equals(Clear, StringComparison.OrdinalIgnoreCase) && (holder = SlackText.ParseUserMention(words[1])) is null)
        {
            return IncidentReplies.Usage(usage, $"Mention exactly one person (type @ and pick them), or `clear`, e.g. `/incident role {role} @henry`.");
        }

        return SlashCommandResponse.Ephemeral((await steering.SetRoleAsync(incident, role, holder, command.UserId, cancellationToken)).Message);
    }
}
