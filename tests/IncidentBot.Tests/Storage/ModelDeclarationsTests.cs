using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// The bot finds its model and its migrations without scanning its assembly (issue 14): the capabilities declare their
/// configurations, and the migrations are read from metadata. Both must find exactly what EF's scan would.
/// </summary>
public sealed class ModelDeclarationsTests
{
    [Fact]
    public void Every_entity_configuration_in_the_bot_is_declared_to_the_model_exactly_once()
    {
        // Arrange: what EF's assembly scan would have applied.
        var configurations = typeof(IncidentBotDbContext).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

        // Act
        var declared = ModelConfigurationAttribute.Declared().Select(d => d.Configuration.FullName!).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.NotEmpty(configurations);
        Assert.Equal(configurations, declared);
    }

    [Fact]
    public void The_bot_finds_the_same_SQLite_migrations_and_snapshot_as_EF_s_own_search()
    {
        var plain = new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=:memory:");
        var ours = new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=:memory:")
            .ReplaceService<IMigrationsAssembly, StorageMigrationsAssembly>();

        AssertSameMigrations(new IncidentBotDbContext(plain.Options), new IncidentBotDbContext(ours.Options));
    }

    [Fact]
    public void The_bot_finds_the_same_PostgreSQL_migrations_and_snapshot_as_EF_s_own_search()
    {
        // Listing migrations connects to no server.
        const string connection = "Host=127.0.0.1;Database=incidentbot-never-opened";
        var plain = new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql(connection);
        var ours = new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql(connection)
            .ReplaceService<IMigrationsAssembly, StorageMigrationsAssembly>();

        AssertSameMigrations(new PostgreSqlIncidentBotDbContext(plain.Options), new PostgreSqlIncidentBotDbContext(ours.Options));
    }

    private static void AssertSameMigrations(IncidentBotDbContext plain, IncidentBotDbContext ours)
    {
        using (plain)
        using (ours)
        {
            var efs = plain.GetService<IMigrationsAssembly>();
            var bots = ours.GetService<IMigrationsAssembly>();

            Assert.IsType<StorageMigrationsAssembly>(bots);
            Assert.NotEmpty(efs.Migrations);
            Assert.Equal(efs.Migrations.Select(m => (m.Key, m.Value)), bots.Migrations.Select(m => (m.Key, m.Value)));
            Assert.NotNull(efs.ModelSnapshot);
            Assert.Equal(efs.ModelSnapshot.GetType(), bots.ModelSnapshot?.GetType());
        }
    }
}
