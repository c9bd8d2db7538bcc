namespace IncidentBot.Telemetry;

/// <summary>
/// A capability's observable gauges. An observable instrument exists only once its owner is built, and nothing else
/// asks for these: registered as this, they are built at start (<see cref="ObservedGaugesAtStart"/>), so the first
/// scrape has them.
/// </summary>
public interface IObservedGauges;

internal sealed class ObservedGaugesAtStart(IEnumerable<IObservedGauges> gauges) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = gauges.Count();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class ObservedGaugesServiceCollectionExtensions
{
    public static IServiceCollection AddObservedGauges<TGauges>(this IServiceCollection services)
        where TGauges : class, IObservedGauges
    {
        services.AddSingleton<TGauges>();
        services.AddSingleton<IObservedGauges>(provider => provider.GetRequiredService<TGauges>());
        return services;
    }
}
