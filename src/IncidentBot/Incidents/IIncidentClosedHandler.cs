namespace IncidentBot.Incidents;

/// <summary>
/// Told once an incident's close is committed. Capabilities built on incidents (the post-mortem draft) react through
/// it, so that Incidents knows nothing of them.
/// </summary>
public interface IIncidentClosedHandler
{
    /// <summary>
    /// Runs on the request path, after the commit: queue slow work, never do it here. Returns a sentence for the
    /// person who closed it (what will happen next), or null.
    /// </summary>
    string? OnClosed(int incidentId);

    /// <summary>What a close will make this capability do, said before it happens (the Close button's confirmation); null: nothing to say.</summary>
    string? Foretell() => null;
}
