using IncidentBot.Storage.Configurations;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// The bot's one database. It knows no capability: each one keeps its entities and their
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder (found here by assembly scan) and reaches its tables
/// through its own <c>db.Incidents</c>-style extension properties, so Storage sits below every feature.
/// </summary>
public sealed class IncidentBotDbContext(DbContextOptions<IncidentBotDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IncidentBotDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite keeps no kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }
}
