using IncidentBot.Incidents;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;

namespace IncidentBot.Review;

/// <summary>
/// <c>/incident timeline</c>: opens the review modal of this channel's live incident, or of the one closed here last.
/// views.open is called at once: the command's trigger id works once and only for 3 seconds.
/// </summary>
internal sealed class ReviewTimelineCommand(IncidentBotDbContext db, ReviewScreen screen, ISlackApiClient slack) : ISlashCommandHandler
{
    public const string Name = "timeline";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Text.Trim().Length > 0)
        {
            return SlashCommandResponse.Ephemeral("`/incident timeline` takes nothing after it; it opens the review of this channel's incident. Nothing was changed.");
        }

        if (await db.Incidents.LiveOrLastClosedInChannelAsync(command.ChannelId, cancellationToken) is not { } incident)
        {
            return SlashCommandResponse.Ephemeral(
                "There is no incident in this channel, live or closed, so there is no timeline to review. Run `/incident timeline` in the incident's channel (`/incident list` shows the live ones).");
        }

        if (command.TriggerId is null || await screen.BuildAsync(incident.Id, command.UserId, 0, null, null, cancellationToken) is not { } view)
        {
            return SlashCommandResponse.Ephemeral("Slack sent no trigger id with the command, so the review window cannot open. Try `/incident timeline` again.");
        }

        try
        {
            await slack.Views.OpenAsync(OpenViewRequest.For(command.TriggerId, view), cancellationToken);
            return null;
        }
        catch (SlackApiException exception)
        {
            return SlashCommandResponse.Ephemeral($"Slack would not open the review window ({exception.ErrorCode}). Try `/incident timeline` again; nothing was changed.");
        }
    }
}
