using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident moment &lt;started|detected|mitigated|resolved&gt; &lt;YYYY-MM-DD HH:MM&gt;</c> (UTC), or <c>… clear</c>:
/// sets a key moment by hand, for the draft's Impact (see <see cref="KeyMoments"/> for what is measured otherwise).
/// A moment is refused when it is in the future or breaks the order started ≤ detected ≤ mitigated ≤ resolved. Like the
/// story fields, it also works on the incident closed in this channel last.
/// </summary>
internal sealed class MomentIncidentCommand(IncidentBotDbContext db, IncidentRecord record) : IncidentChannelCommand(db)
{
    public const string Command = "moment";
    public const string Clear = "clear";

    private const string UsageLine = "moment <started|detected|mitigated|resolved> <YYYY-MM-DD HH:MM>";

    protected override string Name => Command;

    protected override bool CompletesTheRecord => true;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var words = command.Text.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < 2 || KeyMoments.Parse(words[0]) is not { } moment)
        {
            return IncidentReplies.Usage(UsageLine, "Say which moment and when, in UTC, e.g. `/incident moment started 2017-09-20 06:00`.");
        }

        var word = KeyMoments.Word(moment);
        DateTime? at = null;
        if (!words[1].Equals(Clear, StringComparison.OrdinalIgnoreCase))
        {
            at = KeyMoments.ParseTime(words[1]);
            if (at is null)
            {
                return IncidentReplies.Usage(UsageLine, $"That is not a time in UTC written YYYY-MM-DD HH:MM, e.g. `/incident moment {word} 2017-09-20 06:00`.");
            }
        }

        var change = record.SetMoment(incident, moment, at, command.UserId);
        if (!change.Changed)
        {
            return change.IsRefusal ? IncidentReplies.Usage(UsageLine, change.Message) : SlashCommandResponse.Ephemeral(change.Message);
        }

        await record.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral(
            $"{incident.Reference}: {change.Message}. The draft's Impact gives the duration of impact and the times to detect, mitigate and resolve from the key moments.{IncidentReplies.AfterClose(incident)}");
    }
}
