using IncidentBot.Incidents.Declare;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident start &lt;title&gt;</c>: records the incident at once and answers; the channel is opened by a job,
/// after Slack's 3-second acknowledgement. Without a title it opens the declare modal instead.
/// </summary>
internal sealed class StartIncidentCommand(
    IncidentDeclarations declarations,
    DeclareModalOpener modal,
    IOptions<IncidentsOptions> options,
    IOptions<TimelineOptions> timelineOptions) : ISlashCommandHandler
{
    public const string Name = "start";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Text.Trim().Length == 0)
        {
            return await modal.OpenAsync(command.TriggerId, command.UserId, new ModalOrigin(command.ChannelId, command.ResponseUrl), cancellationToken) is { } problem
                ? IncidentReplies.Usage("start <title>", problem)
                : null;
        }

        var (title, why) = IncidentDeclarations.ReadTitle(command.Text);
        if (title is null)
        {
            return IncidentReplies.Usage("start <title>", why!);
        }

        var outcome = await declarations.DeclareAsync(
            new Declaration(title, command.UserId, command.ChannelId) { ChannelName = command.ChannelName, ResponseUrl = command.ResponseUrl },
            cancellationToken);
        if (outcome.Live is { } live)
        {
            return AlreadyLive(live);
        }

        var incident = outcome.Incident!;
        return options.Value.CreateChannel
            ? SlashCommandResponse.Ephemeral($"Declared {IncidentReplies.Describe(incident)}. Opening its channel now; you will be invited.")
            : SlashCommandResponse.InChannel(IncidentAnnouncement.Text(incident, timelineOptions.Value));
    }

    internal static SlashCommandResponse AlreadyLive(Incident live) => SlashCommandResponse.Ephemeral(
        $"{IncidentReplies.Describe(live)} is already live in this channel (Incident Leader <@{live.LeaderUserId}>). Close it with `/incident close` before starting another here; nothing was changed.");
}
