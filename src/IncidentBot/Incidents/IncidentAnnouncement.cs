using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents;

/// <summary>What the bot says when an incident opens: what it is, who leads, and how to record the timeline.</summary>
public static class IncidentAnnouncement
{
    public static string Text(Incident incident, TimelineOptions options) =>
        Heading(incident, null) + "\n" + HowToRecord(options);

    /// <summary>The first lines of the declaration and of the incident card's notification text.</summary>
    public static string Heading(Incident incident, string? status) =>
        $":rotating_light: {incident.Reference} declared: *{SlackText.Escape(incident.Title)}*\n" +
        $"Incident Leader: <@{incident.LeaderUserId}> · Severity: {incident.Severity ?? "not set"}" + (status is null ? "" : $" · Status: {status}");

    public static string HowToRecord(TimelineOptions options)
    {
        var sections = options.Sections.Select(pair => $":{pair.Key}: {SectionName(pair.Value)}");
        return $"React with :{options.TimelineReaction}: to put a message on the timeline at its own time; {string.Join(", ", sections)}. `/incident help` lists the commands.";
    }

    public static string SectionName(TimelineSection section) => section switch
    {
        TimelineSection.ContributingFactors => "contributing factor",
        TimelineSection.StabilizationSteps => "stabilization step",
        TimelineSection.CorrectiveActions => "corrective action",
        _ => "timeline",
    };
}
