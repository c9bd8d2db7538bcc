using Hangfire;
using IncidentBot.Incidents.Card;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents;

/// <summary>Closes a live incident, for <c>/incident close</c> and the card's Close button alike: the time recorded, what follows queued.</summary>
public sealed class IncidentClosing(TimelineWriter timeline, TimeProvider time, IncidentCards cards, IBackgroundJobClient jobs, IEnumerable<IIncidentClosedHandler> whenClosed)
{
    /// <summary>Returns what the person who closed it is told.</summary>
    public async Task<string> CloseAsync(Incident incident, string userId, CancellationToken cancellationToken)
    {
        incident.Status = IncidentStatus.Closed;
        incident.ClosedAt = time.GetUtcNow().UtcDateTime;
        var resolved = timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, Commands.CloseIncidentCommand.Entry);
        IncidentCards.Changed(incident);
        await timeline.SaveAsync(cancellationToken);
        cards.Refresh(incident.Id);
        SetIncidentTopicJob.AfterChange(jobs, incident, resolved);

        // After the commit: what follows a close can fail and be retried without ever undoing it.
        var next = whenClosed.Select(handler => handler.OnClosed(incident.Id)).OfType<string>();
        return string.Join(' ', [$"Closed {incident.Reference} *{SlackText.Escape(incident.Title)}* after {IncidentDuration.Format(incident.ClosedAt.Value - incident.DeclaredAt)}.", .. next]);
    }
}
