using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.PostMortems;

/// <summary><c>/incident publish</c>: the next version of this channel's closed incident's draft (<see cref="RevisedDrafts"/>).</summary>
internal sealed class PublishIncidentCommand(RevisedDrafts drafts) : ISlashCommandHandler
{
    public const string Name = "publish";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Text.Trim().Length > 0)
        {
            return Refused("`/incident publish` takes nothing after it.");
        }

        var outcome = await drafts.PublishInChannelAsync(command.ChannelId, cancellationToken);
        return outcome.Queued ? SlashCommandResponse.Ephemeral(outcome.Message) : Refused(outcome.Message);
    }

    private static SlashCommandResponse Refused(string why) => SlashCommandResponse.Ephemeral($"{why} `/incident publish` changed nothing.");
}
