using Hangfire;
using IncidentBot.Data;
using IncidentBot.PostMortems;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident close</c>: ends the incident of this channel, records when, says so in the channel, and has the draft published.</summary>
internal sealed class CloseIncidentCommand(
    IncidentBotDbContext db, TimelineWriter timeline, TimeProvider time, IOptions<IncidentsOptions> options, IBackgroundJobClient jobs)
    : IncidentChannelCommand(db)
{
    public const string Command = "close";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken)
    {
        incident.Status = IncidentStatus.Closed;
        incident.ClosedAt = time.GetUtcNow().UtcDateTime;
        timeline.Add(incident, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, "Incident resolved");
        await timeline.SaveAsync(cancellationToken);

        // After the commit: publishing can fail and be retried without ever undoing the close.
        jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(incident.Id, CancellationToken.None));

        return SlashCommandResponse.Ephemeral(
            $"Closed {IncidentReplies.Describe(incident)} after {IncidentDuration.Format(incident.ClosedAt.Value - incident.DeclaredAt)}. " +
            $"Its post-mortem draft goes to {IncidentReplies.Channel(options.Value.PostmortemChannel)}.");
    }
}
