namespace IncidentBot.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddOptions<IncidentsOptions>().BindConfiguration(IncidentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
