using IncidentBot.Telemetry;

namespace IncidentBot.Slack.SocketMode;

public static class SocketModeServiceCollectionExtensions
{
    /// <summary>
    /// Socket Mode: the service is always registered and does nothing unless <c>Slack:AppToken</c> is set, so that
    /// switching transports is a matter of configuration only. /healthz includes its state.
    /// </summary>
    internal static IServiceCollection AddSlackSocketMode(this IServiceCollection services)
    {
        services.AddSingleton<SocketModeStatus>();
        services.AddObservedGauges<SocketModeMetrics>();
        services.AddSingleton<EnvelopeHandler>();
        services.AddHostedService<SocketModeService>();
        services.AddHealthChecks().AddCheck<SocketModeHealthCheck>("slack-socket-mode");
        return services;
    }
}
