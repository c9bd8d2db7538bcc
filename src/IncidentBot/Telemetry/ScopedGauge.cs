using System.Diagnostics.Metrics;

namespace IncidentBot.Telemetry;

/// <summary>
/// An observable gauge read from the database. Its callback runs on a scrape (or an export), outside any request:
/// it takes a DI scope of its own and one short count; a failing read (the database busy, the host stopping) reports
/// nothing rather than failing the scrape.
/// </summary>
public static class ScopedGauge
{
    public static ObservableGauge<long> Create(Meter meter, IServiceScopeFactory scopes, string name, string unit, string description, Func<IServiceProvider, long> read) =>
        meter.CreateObservableGauge(name, () => Observe(scopes, read), unit, description);

    private static IEnumerable<Measurement<long>> Observe(IServiceScopeFactory scopes, Func<IServiceProvider, long> read)
    {
        try
        {
            using var scope = scopes.CreateScope();
            return [new Measurement<long>(read(scope.ServiceProvider))];
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return [];
        }
    }
}
