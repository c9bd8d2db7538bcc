using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident note|factor|step|action &lt;text&gt;</c>: adds the text to one section of the draft. One class for the
/// four sub-commands, which differ only in their word, their section and their example (<see cref="Sections"/>).
/// </summary>
internal sealed class AddToSectionCommand(IncidentBotDbContext db, TimelineWriter timeline, AddToSectionCommand.Kind kind) : IncidentChannelCommand(db)
{
    public sealed record Kind(string Name, TimelineSection Section, string Example);

    public static IReadOnlyList<Kind> Sections { get; } =
    [
        new("note", TimelineSection.Timeline, "Rolled back the 14:00 release"),
        new("factor", TimelineSection.ContributingFactors, "The search index was not rebuilt after the migration"),
        new("step", TimelineSection.StabilizationSteps, "Rebuilt the search index"),
        new("action", TimelineSection.CorrectiveActions, "Review every migration's runbook before release"),
    ];

    protected override string Name => kind.Name;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var text = TimelineWriter.FromCommand(command.Text);
        if (text.Length == 0)
        {
            return IncidentReplies.Usage($"{Name} <text>", $"Say what to add, e.g. `/incident {Name} {kind.Example}`.");
        }

        timeline.Add(incident.Id, EntryKind.Note, kind.Section, command.UserId, text);
        await timeline.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral($"Added to {IncidentAnnouncement.SectionName(kind.Section)}s of {incident.Reference}.");
    }
}
