using System.Diagnostics.Metrics;
using IncidentBot.Storage;
using IncidentBot.Telemetry;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// The outbox: writes sent and writes that failed (their job retries them), by kind (the key's first part, such as
/// <c>incident</c> or <c>postmortem</c>: never an incident id), and the writes still pending, counted in the table on
/// each scrape, so that work left by a restart counts too.
/// </summary>
public sealed class OutboxMetrics : IObservedGauges
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failures;

    public OutboxMetrics(IMeterFactory meters, IServiceScopeFactory scopes)
    {
        var meter = IncidentBotMeter.Create(meters);
        _sent = meter.CreateCounter<long>("incidentbot.outbox.sent", "{write}", "Writes to Slack made through the outbox, by kind");
        _failures = meter.CreateCounter<long>("incidentbot.outbox.failures", "{attempt}", "Outbox write attempts that failed (to be retried), by kind");
        ScopedGauge.Create(meter, scopes, "incidentbot.outbox.pending", "{write}", "Writes recorded in the outbox and not yet sent",
            services => services.GetRequiredService<IncidentBotDbContext>().Outbox.LongCount(e => e.SentAt == null));
    }

    public void Sent(string key) => _sent.Add(1, KindOf(key));

    public void Failed(string key) => _failures.Add(1, KindOf(key));

    private static KeyValuePair<string, object?> KindOf(string key) => new("incidentbot.outbox.kind", key.Split('/', 2)[0]);
}
