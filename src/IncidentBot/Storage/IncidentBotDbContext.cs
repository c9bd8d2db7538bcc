using IncidentBot.Storage.Configurations;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// The bot's one database. It knows no capability: each one keeps its entities and their
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder (declared there with
/// <see cref="ModelConfigurationAttribute{TConfiguration, TEntity}"/>) and reaches its tables through its own
/// <c>db.Incidents</c>-style extension properties, so Storage sits below every feature. On PostgreSQL the container
/// hands out <see cref="PostgreSqlIncidentBotDbContext"/> in its place: the same model, with its own migrations.
/// At run time each context uses its compiled model (CompiledModels/, found by its <c>[DbContextModel]</c>
/// attribute): OnModelCreating then runs only where EF asks for the design-time model (migrations, the tests).
/// </summary>
public class IncidentBotDbContext : DbContext
{
    public IncidentBotDbContext(DbContextOptions<IncidentBotDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the one subclass: a provider's own migrations need a context type of their own.</summary>
    private protected IncidentBotDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>
    /// Whether this context talks to PostgreSQL. Asked instead of EF's <c>IsNpgsql()</c>, which lives in the Npgsql
    /// provider's assembly and would load it into a bot on SQLite (issue 14's idle memory).
    /// </summary>
    internal virtual bool IsPostgreSql => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var declared in ModelConfigurationAttribute.Declared())
        {
            declared.Apply(modelBuilder);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite keeps no kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }
}
