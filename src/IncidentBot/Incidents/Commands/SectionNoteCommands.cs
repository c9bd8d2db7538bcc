using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>A sub-command that adds its text to one section of the draft: note, factor, step, action.</summary>
internal abstract class SectionNoteCommand(IncidentBotDbContext db, TimelineWriter timeline) : IncidentChannelCommand(db)
{
    protected abstract TimelineSection Section { get; }

    protected abstract string Example { get; }

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        var text = TimelineWriter.FromCommand(command.Text);
        if (text.Length == 0)
        {
            return IncidentReplies.Usage($"{Name} <text>", $"Say what to add, e.g. `/incident {Name} {Example}`.");
        }

        timeline.Add(incident.Id, EntryKind.Note, Section, command.UserId, text);
        await timeline.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral($"Added to {IncidentAnnouncement.SectionName(Section)}s of {incident.Reference}.");
    }
}

internal sealed class NoteIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline) : SectionNoteCommand(db, timeline)
{
    public const string Command = "note";

    protected override string Name => Command;
    protected override TimelineSection Section => TimelineSection.Timeline;
    protected override string Example => "Rolled back the 14:00 release";
}

internal sealed class FactorIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline) : SectionNoteCommand(db, timeline)
{
    public const string Command = "factor";

    protected override string Name => Command;
    protected override TimelineSection Section => TimelineSection.ContributingFactors;
    protected override string Example => "The search index was not rebuilt after the migration";
}

internal sealed class StepIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline) : SectionNoteCommand(db, timeline)
{
    public const string Command = "step";

    protected override string Name => Command;
    protected override TimelineSection Section => TimelineSection.StabilizationSteps;
    protected override string Example => "Rebuilt the search index";
}

internal sealed class ActionIncidentCommand(IncidentBotDbContext db, TimelineWriter timeline) : SectionNoteCommand(db, timeline)
{
    public const string Command = "action";

    protected override string Name => Command;
    protected override TimelineSection Section => TimelineSection.CorrectiveActions;
    protected override string Example => "Review every migration's runbook before release";
}
