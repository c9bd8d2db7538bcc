using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident moment &lt;started|detected|mitigated|resolved&gt; &lt;YYYY-MM-DD HH:MM&gt;</c> (UTC), or <c>… clear</c>:
/// sets a key moment by hand, for the draft's Impact (see <see cref="KeyMoments"/> for what is measured otherwise).
/// A moment is refused when it is in the future or breaks the order started ≤ detected ≤ mitigated ≤ resolved. Like the
/// story fields, it also works on the incident closed in this channel last.
/// </summary>
internal sealed class MomentIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline, TimeProvider time) : IncidentChannelCommand(db)
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

            var now = time.GetUtcNow().UtcDateTime;
            if (at > now)
            {
                return IncidentReplies.Usage(UsageLine, $"{KeyMoments.FormatTime(at.Value)} is in the future (it is {KeyMoments.FormatTime(now)} now): a key moment is one that has happened.");
            }
        }
        else if (incident.SetByHand(moment) is null)
        {
            return SlashCommandResponse.Ephemeral($"`{word}` was not set by hand for {incident.Reference}; nothing was changed.");
        }

        if (at is not null && incident.SetByHand(moment) == at)
        {
            return SlashCommandResponse.Ephemeral($"`{word}` of {incident.Reference} is already {KeyMoments.FormatTime(at.Value)}; nothing was changed.");
        }

        // The order is checked on the moment as the draft would use it: cleared, it goes back to what is measured.
        var previous = incident.SetByHand(moment);
        incident.SetByHand(moment, at);
        var value = KeyMoments.Of(incident, moment);
        if (value.At is { } effective && KeyMoments.OrderBrokenBy(incident, moment, effective) is var (other, otherIsEarlier))
        {
            incident.SetByHand(moment, previous);
            return IncidentReplies.Usage(UsageLine, OrderProblem(value, other, otherIsEarlier));
        }

        var said = at is null
            ? $"Key moment cleared: {word} is now {(value.At is { } measured ? $"{KeyMoments.FormatTime(measured)} ({value.Source})" : "not set")}"
            : $"Key moment set by hand: {word} {KeyMoments.FormatTime(at.Value)}";
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, said);
        await timeline.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral(
            $"{incident.Reference}: {said}. The draft's Impact gives the duration of impact and the times to detect, mitigate and resolve from the key moments.{IncidentReplies.AfterClose(incident)}");
    }

    private static string OrderProblem(KeyMomentValue value, KeyMomentValue other, bool otherIsEarlier)
    {
        var word = KeyMoments.Word(value.Moment);
        var otherWord = KeyMoments.Word(other.Moment);
        var at = value.SetByHand ? KeyMoments.FormatTime(value.At!.Value) : $"{KeyMoments.FormatTime(value.At!.Value)} ({value.Source})";
        var hint = other.SetByHand ? "" : $" If that time is wrong, set `{otherWord}` by hand first.";
        return $"`{word}` at {at} would come {(otherIsEarlier ? "before" : "after")} `{otherWord}` ({KeyMoments.FormatTime(other.At!.Value)}, {other.Source}): " +
               $"the moments keep the order started, detected, mitigated, resolved.{hint}";
    }
}
