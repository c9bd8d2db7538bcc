using System.Diagnostics.Metrics;

namespace IncidentBot.Telemetry;

/// <summary>
/// The one meter every capability records on. Each capability keeps its own instruments next to its code; they meet
/// here by name. Through <see cref="IMeterFactory"/>, so that each host (each test's bot) has a meter of its own.
/// </summary>
public static class IncidentBotMeter
{
    public const string Name = "IncidentBot";

    public static Meter Create(IMeterFactory factory) => factory.Create(Name);
}
