using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentBot.Telemetry;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// Slash commands by name and sub-command, as routed: only registered sub-commands are named (anything else, typed by
/// a person, is <c>(none)</c>), so the tags stay few and never carry what someone typed.
/// </summary>
public sealed class CommandMetrics(IMeterFactory meters)
{
    public const string NoSubCommand = "(none)";

    private readonly Counter<long> _commands = IncidentBotMeter.Create(meters)
        .CreateCounter<long>("incidentbot.commands", "{command}", "Slash commands run, by command, sub-command and outcome (ok, failed)");

    public void Ran(string command, string subCommand, bool ok) =>
        _commands.Add(1, new TagList { { "slack.command", command }, { "incidentbot.subcommand", subCommand }, { "outcome", ok ? "ok" : "failed" } });
}
