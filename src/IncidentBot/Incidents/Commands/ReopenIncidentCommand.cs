using Hangfire;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Incidents.Card;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident reopen</c>: the closed incident of this channel is live again. Capture resumes, and what was posted
/// or marked here while it was closed is read back from Slack by a job; the next <c>/incident close</c> publishes a
/// revised draft.
/// </summary>
internal sealed class ReopenIncidentCommand(
    IncidentBotDbContext db, TimelineWriter timeline, TimeProvider time, IBackgroundJobClient jobs, Responders responders, IncidentCards cards) : ISlashCommandHandler
{
    public const string Name = "reopen";

    /// <summary>The lifecycle entry a reopen records (what the sweep looks for too).</summary>
    public const string Entry = "Incident reopened";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Text.Trim().Length > 0)
        {
            return IncidentReplies.Usage("reopen", "`/incident reopen` takes nothing after it.");
        }

        if (await db.Incidents.OpenInChannelAsync(command.ChannelId, cancellationToken) is { } open)
        {
            return SlashCommandResponse.Ephemeral($"{IncidentReplies.Describe(open)} is not closed: it is live in this channel, so `/incident reopen` changed nothing.");
        }

        var incident = await db.Incidents.LastClosedInChannelAsync(command.ChannelId, cancellationToken);
        if (incident is null)
        {
            return SlashCommandResponse.Ephemeral(
                "There is no closed incident in this channel, so `/incident reopen` changed nothing. Run it in the channel of the incident to reopen.");
        }

        if (!await responders.MayAsync(command.UserId, cancellationToken))
        {
            return SlashCommandResponse.Ephemeral(responders.Refusal($"reopen {incident.Reference}"));
        }

        var now = time.GetUtcNow().UtcDateTime;
        incident.Status = IncidentStatus.Live;
        incident.ClosedAt = null;
        var reopened = timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, Entry);
        // Reactions added while it was closed may sit on any message of the incident, so its whole stretch is read.
        timeline.Backfill(incident.Id, command.ChannelId, incident.DeclaredAt, now);
        IncidentCards.Changed(incident);
        await timeline.SaveAsync(cancellationToken);
        SetIncidentTopicJob.AfterChange(jobs, incident, reopened);
        cards.Refresh(incident.Id);
        return SlashCommandResponse.Ephemeral(
            $"Reopened {IncidentReplies.Describe(incident)}: it is live again. What was posted or marked here while it was closed is being read back; " +
            "`/incident close` publishes a revised draft.");
    }
}
