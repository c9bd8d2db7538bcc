using Hangfire;

namespace IncidentBot.Incidents.Card;

/// <summary>Renders the incident's cards again in place after a change; idempotent, so a retry or a repeat is harmless.</summary>
public sealed class RefreshIncidentCardJob(IncidentCards cards)
{
    [AutomaticRetry(Attempts = 10)]
    public Task RunAsync(int incidentId, CancellationToken cancellationToken) => cards.UpdateAsync(incidentId, cancellationToken);
}
