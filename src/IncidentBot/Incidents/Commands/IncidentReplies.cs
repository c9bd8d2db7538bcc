using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary>The words the bot answers commands with, in one place so they stay consistent.</summary>
internal static class IncidentReplies
{
    public static SlashCommandResponse NoIncidentHere(string subCommand) => SlashCommandResponse.Ephemeral(
        $"There is no live incident in this channel, so `/incident {subCommand}` changed nothing. Run it in the incident's channel (`/incident list` shows them), or start one with `/incident start <title>`.");

    public static SlashCommandResponse NoIncidentRecordHere(string subCommand) => SlashCommandResponse.Ephemeral(
        $"There is no incident in this channel, live or closed, so `/incident {subCommand}` changed nothing. Run it in the incident's channel (`/incident list` shows the live ones).");

    /// <summary>What a change to a closed incident's record means for its draft, already published.</summary>
    public static string AfterClose(Incident incident) => incident.Status == IncidentStatus.Closed
        ? $" {incident.Reference} is closed: its draft was published without this, so it will need publishing again to show it."
        : "";

    public static SlashCommandResponse Usage(string usage, string why) =>
        SlashCommandResponse.Ephemeral($"{why} Usage: `/incident {usage}`. Nothing was changed.");

    public static string Describe(Incident incident) => $"{incident.Reference} *{SlackText.Escape(incident.Title)}*";
}
