using System.Diagnostics.Metrics;
using IncidentBot.Telemetry;

namespace IncidentBot.Slack.SocketMode;

/// <summary>How many Socket Mode connections are open: 0 with Socket Mode on means the bot hears nothing from Slack.</summary>
internal sealed class SocketModeMetrics : IObservedGauges
{
    public SocketModeMetrics(IMeterFactory meters, SocketModeStatus status) =>
        IncidentBotMeter.Create(meters).CreateObservableGauge(
            "incidentbot.socketmode.connections", () => status.OpenConnections, "{connection}", "Socket Mode connections open");
}
