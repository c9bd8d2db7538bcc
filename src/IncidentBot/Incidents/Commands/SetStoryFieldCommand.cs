using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident describe|impact|meeting &lt;text&gt;</c>: the incident's story, in the lead's words, shown in the draft
/// in place of its prompt. One class for the three sub-commands, which differ only in their word, their field and their
/// example (<see cref="IncidentRecord.Fields"/>). Setting a field again replaces it. It works on the channel's live incident and, after
/// the close, on the one closed there last: a record is often completed after the incident.
/// </summary>
internal sealed class SetStoryFieldCommand(IncidentBotDbContext db, IncidentRecord record, StoryField story) : IncidentChannelCommand(db)
{
    protected override string Name => story.Name;

    protected override bool CompletesTheRecord => true;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        // Stored as Slack sent it (escaped, entities kept); the draft resolves it to plain text and escapes it for its format.
        var text = TimelineWriter.FromCommand(command.Text);
        if (text.Length == 0)
        {
            return IncidentReplies.Usage($"{Name} <text>", $"Say what the {story.Field} is, e.g. `/incident {Name} {story.Example}`.");
        }

        if (!record.SetStory(incident, story, text, command.UserId))
        {
            return SlashCommandResponse.Ephemeral($"The {story.Field} of {incident.Reference} already says that; nothing was changed.");
        }

        await record.SaveAsync(cancellationToken);
        return SlashCommandResponse.Ephemeral($"The {story.Field} of {incident.Reference} is set: the post-mortem draft shows it in place of the prompt.{IncidentReplies.AfterClose(incident)}");
    }
}
