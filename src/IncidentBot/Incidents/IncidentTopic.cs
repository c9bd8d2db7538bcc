using System.Globalization;

namespace IncidentBot.Incidents;

/// <summary>What an incident's own channel says at its top: that it is live (at opening and after a reopen), or closed.</summary>
public static class IncidentTopic
{
    /// <summary>Slack refuses longer topics.</summary>
    public const int MaxLength = 250;

    public static string Live(Incident incident) =>
        Cut(string.Create(CultureInfo.InvariantCulture, $"{incident.Reference}: {incident.Title} · declared {incident.DeclaredAt:yyyy-MM-dd HH:mm} UTC"));

    /// <summary>Closed, when, and where its record goes next: the draft follows the close, its review is a command away.</summary>
    public static string Closed(Incident incident) =>
        Cut(string.Create(CultureInfo.InvariantCulture,
            $"{incident.Reference} closed {incident.ClosedAt:yyyy-MM-dd HH:mm} UTC · {incident.Title} · post-mortem draft posted; review it with /incident timeline"));

    private static string Cut(string topic) => Slack.Payloads.SlackText.Shorten(topic, MaxLength);
}
