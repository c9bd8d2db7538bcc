namespace IncidentBot.Incidents;

/// <summary>The outcome of a change asked by command or by the card: done, or why nothing changed.</summary>
public sealed record IncidentChange(bool Changed, string Message)
{
    public static IncidentChange Done(string message) => new(true, message);

    public static IncidentChange Unchanged(string why) => new(false, why);
}
