using System.Diagnostics.Metrics;
using IncidentBot.Telemetry;

namespace IncidentBot.PostMortems;

/// <summary>
/// How long people wait for the draft: from the incident's (latest) close to the draft published in full (every
/// message, the file, the canvas and the link out). Retries, a busy queue and Slack's rate limits all count, since
/// people wait through them too.
/// </summary>
public sealed class PostMortemMetrics(IMeterFactory meters)
{
    private readonly Histogram<double> _publish = IncidentBotMeter.Create(meters).CreateHistogram<double>(
        "incidentbot.postmortem.publish.duration", "s", "From an incident's close to its post-mortem draft published in full, by version kind (first, revision)");

    public void Published(TimeSpan sinceClose, int version) =>
        _publish.Record(Math.Max(0, sinceClose.TotalSeconds), new KeyValuePair<string, object?>("incidentbot.postmortem.version", version == 1 ? "first" : "revision"));
}
