using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IncidentBot.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the bot (and without Slack settings).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<IncidentBotDbContext>
{
    public IncidentBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// The same for PostgreSQL (`dotnet ef migrations add Name --context PostgreSqlIncidentBotDbContext --output-dir
/// Storage/Migrations/PostgreSQL`); generating a migration connects to no server.
/// </summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlIncidentBotDbContext>
{
    public PostgreSqlIncidentBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql("Host=localhost;Database=incidentbot-design-time").Options);
}
