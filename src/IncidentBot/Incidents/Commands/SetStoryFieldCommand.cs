using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident describe|impact|meeting &lt;text&gt;</c>: the incident's story, in the lead's words, shown in the draft
/// in place of its prompt. One class for the three sub-commands, which differ only in their word, their field and their
/// example (<see cref="Fields"/>). Setting a field again replaces it. It works on the channel's live incident and, after
/// the close, on the one closed there last: a record is often completed after the incident.
/// </summary>
internal sealed class SetStoryFieldCommand(IncidentBotDbContext db, TimelineWriter timeline, SetStoryFieldCommand.Kind kind) : IncidentChannelCommand(db)
{
    public sealed record Kind(string Name, string Field, string Example, Func<Incident, string?> Get, Action<Incident, string> Set);

    public static IReadOnlyList<Kind> Fields { get; } =
    [
        new("describe", "Description", "The consumer API answered 500s to most requests after a migration", i => i.Description, (i, text) => i.Description = text),
        new("impact", "Impact", "Most consumer app users could not load their feed for 40 minutes", i => i.Impact, (i, text) => i.Impact = text),
        new("meeting", "Meeting", "waived: Henry Clifford", i => i.Meeting, (i, text) => i.Meeting = text),
    ];

    protected override string Name => kind.Name;

    protected override bool CompletesTheRecord => true;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        // Stored as Slack sent it (escaped, entities kept); the draft resolves it to plain text and escapes it for its format.
        var text = TimelineWriter.FromCommand(command.Text);
        if (text.Length == 0)
        {
            return IncidentReplies.Usage($"{Name} <text>", $"Say what the {kind.Field} is, e.g. `/incident {Name} {kind.Example}`.");
        }

        if (kind.Get(incident) == text)
        {
            return SlashCommandResponse.Ephemeral($"The {kind.Field} of {incident.Reference} already says that; nothing was changed.");
        }

        kind.Set(incident, text);
        // The timeline notes that it was set, with its start: the whole text is the draft's section, not a second copy of it.
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, $"{kind.Field} set: {Preview(text)}");
        await timeline.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral($"The {kind.Field} of {incident.Reference} is set: the post-mortem draft shows it in place of the prompt.{IncidentReplies.AfterClose(incident)}");
    }

    /// <summary>
    /// At most <paramref name="max"/> characters of Slack text, cut after a whole word and never inside an escape
    /// (<c>&amp;amp;</c>) or an entity (<c>&lt;@U1&gt;</c>), with an ellipsis when cut.
    /// </summary>
    internal static string Preview(string slackText, int max = 80)
    {
        if (slackText.Length <= max)
        {
            return slackText;
        }

        var cut = slackText.LastIndexOf(' ', max);
        cut = cut < max / 2 ? max : cut;
        var entity = slackText.LastIndexOf('<', cut - 1);
        if (entity >= 0 && slackText.IndexOf('>', entity) is var close && (close < 0 || close >= cut))
        {
            cut = entity;
        }

        var escape = slackText.LastIndexOf('&', cut - 1);
        if (escape >= 0 && slackText.IndexOf(';', escape) is var end && end >= cut && end - escape <= 5)
        {
            cut = escape;
        }

        return slackText[..cut].TrimEnd() + "…";
    }
}
