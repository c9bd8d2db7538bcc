using System.Diagnostics.Metrics;
using IncidentBot.Storage;
using IncidentBot.Telemetry;

namespace IncidentBot.Incidents;

/// <summary>Incidents not yet closed (opening or live), counted in the table on each scrape.</summary>
internal sealed class IncidentMetrics : IObservedGauges
{
    public IncidentMetrics(IMeterFactory meters, IServiceScopeFactory scopes) =>
        ScopedGauge.Create(IncidentBotMeter.Create(meters), scopes, "incidentbot.incidents.live", "{incident}", "Incidents declared and not yet closed",
            services => services.GetRequiredService<IncidentBotDbContext>().Incidents.LongCount(i => i.Status != IncidentStatus.Closed));
}
