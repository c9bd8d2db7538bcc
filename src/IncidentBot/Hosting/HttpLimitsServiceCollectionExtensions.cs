using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

public static class HttpLimitsServiceCollectionExtensions
{
    /// <summary>Kestrel's limits from <c>Http:*</c> (<see cref="HttpLimitsOptions"/>), validated at start.</summary>
    public static IServiceCollection AddHttpLimits(this IServiceCollection services)
    {
        services.AddOptions<HttpLimitsOptions>().BindConfiguration(HttpLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, options) => Apply(kestrel.Limits, options.Value));
        return services;
    }

    private static void Apply(KestrelServerLimits limits, HttpLimitsOptions options)
    {
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        // An upgraded connection (none is served here) would otherwise be outside the limit above.
        limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentConnections;
    }
}
