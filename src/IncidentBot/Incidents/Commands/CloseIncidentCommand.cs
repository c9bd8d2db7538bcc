using Hangfire;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident close</c>: ends the incident of this channel, records when, and tells what follows (the draft).</summary>
internal sealed class CloseIncidentCommand(
    IncidentBotDbContext db, TimelineWriter timeline, TimeProvider time, IBackgroundJobClient jobs, IEnumerable<IIncidentClosedHandler> whenClosed)
    : IncidentChannelCommand(db)
{
    public const string Command = "close";

    /// <summary>The lifecycle entry a close records (what the sweep looks for too).</summary>
    public const string Entry = "Incident resolved";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        incident.Status = IncidentStatus.Closed;
        incident.ClosedAt = time.GetUtcNow().UtcDateTime;
        var resolved = timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, Entry);
        await timeline.SaveAsync(cancellationToken);
        SetIncidentTopicJob.AfterChange(jobs, incident, resolved);

        // After the commit: what follows a close can fail and be retried without ever undoing it.
        var next = whenClosed.Select(handler => handler.OnClosed(incident.Id)).OfType<string>();
        return SlashCommandResponse.Ephemeral(
            string.Join(' ', [$"Closed {IncidentReplies.Describe(incident)} after {IncidentDuration.Format(incident.ClosedAt.Value - incident.DeclaredAt)}.", .. next]));
    }
}
