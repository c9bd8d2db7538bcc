using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Data;

public static class DataExtensions
{
    public const string ConnectionStringName = "IncidentBot";

    /// <summary>EF Core on SQLite (the embedded default); the schema is migrated before the app takes requests.</summary>
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName) ?? "Data Source=incidentbot.db";
        services.AddDbContext<IncidentBotDbContext>(options => options.UseSqlite(connectionString));

        // First among the hosted services, so that the schema exists before anything else starts.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return services;
    }
}
