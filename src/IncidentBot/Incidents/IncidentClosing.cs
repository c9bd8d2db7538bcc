using IncidentBot.Incidents.Card;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents;

/// <summary>Closes a live incident, for <c>/incident close</c> and the card's Close button alike: the time recorded, what follows queued.</summary>
public sealed class IncidentClosing(TimelineWriter timeline, TimeProvider time, IncidentCards cards, IEnumerable<IIncidentClosedHandler> whenClosed)
{
    /// <summary>Returns what the person who closed it is told.</summary>
    public async Task<string> CloseAsync(Incident incident, string userId, CancellationToken cancellationToken)
    {
        incident.Status = IncidentStatus.Closed;
        incident.ClosedAt = time.GetUtcNow().UtcDateTime;
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, "Incident resolved");
        IncidentCards.Changed(incident);
        await timeline.SaveAsync(cancellationToken);
        cards.Refresh(incident.Id);

        // After the commit: what follows a close can fail and be retried without ever undoing it.
        var next = whenClosed.Select(handler => handler.OnClosed(incident.Id)).OfType<string>();
        return string.Join(' ', [$"Closed {incident.Reference} *{SlackText.Escape(incident.Title)}* after {IncidentDuration.Format(incident.ClosedAt.Value - incident.DeclaredAt)}.", .. next]);
    }
}
