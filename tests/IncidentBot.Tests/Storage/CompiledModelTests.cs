using System.Globalization;
using System.Text;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// The bot starts on a compiled model (CompiledModels/, issue 14) instead of building it from the capabilities'
/// configurations at every start. It must be the model those configurations build, on both providers: a change to
/// an entity without regenerating would otherwise run on yesterday's mapping.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate =
        "the compiled model is out of date: regenerate it with `dotnet tool restore && dotnet ef dbcontext optimize --project src/IncidentBot " +
        "--context IncidentBotDbContext --output-dir CompiledModels/Sqlite --namespace IncidentBot.CompiledModels.Sqlite`, " +
        "and again with PostgreSqlIncidentBotDbContext and PostgreSql (README, src/IncidentBot/CompiledModels/)";

    // Building a model or listing migrations connects to no server.
    private const string NeverOpened = "Host=127.0.0.1;Database=incidentbot-never-opened";

    [Fact]
    public void The_SQLite_context_runs_on_the_compiled_model_and_it_is_the_one_its_configurations_build()
    {
        using var db = new IncidentBotDbContext(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=:memory:").Options);

        AssertCompiledMatchesBuilt(db, typeof(IncidentBot.CompiledModels.Sqlite.IncidentBotDbContextModel));
    }

    [Fact]
    public void The_PostgreSQL_context_runs_on_the_compiled_model_and_it_is_the_one_its_configurations_build()
    {
        using var db = new PostgreSqlIncidentBotDbContext(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>()
            .UseNpgsql(NeverOpened).Options);

        AssertCompiledMatchesBuilt(db, typeof(IncidentBot.CompiledModels.PostgreSql.PostgreSqlIncidentBotDbContextModel));
    }

    [Fact]
    public void Every_model_change_has_its_migration_on_both_providers()
    {
        // A start with nothing pending skips MigrateAsync (and with it EF's own check), so the check lives here.
        using var sqlite = new IncidentBotDbContext(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=:memory:")
            .ReplaceService<IMigrationsAssembly, StorageMigrationsAssembly>().Options);
        using var postgres = new PostgreSqlIncidentBotDbContext(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>()
            .UseNpgsql(NeverOpened).ReplaceService<IMigrationsAssembly, StorageMigrationsAssembly>().Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite model has changes no migration makes");
        Assert.False(postgres.Database.HasPendingModelChanges(), "the PostgreSQL model has changes no migration makes");
    }

    private static void AssertCompiledMatchesBuilt(DbContext db, Type compiledModel)
    {
        var running = db.Model;
        var built = db.GetService<IDesignTimeModel>().Model;

        // The context picked the generated model by itself (its [DbContextModel] attribute), not a freshly built one.
        Assert.Equal(compiledModel, running.GetType());
        // EF's schema diff cannot read a compiled (read-optimized) model, so both are described alike: tables, columns and
        // store types, keys and indexes, and what a schema does not show (converters, CLR types, navigations).
        var expected = Describe(built).Split('\n');
        var actual = Describe(running).Split('\n');
        var first = expected.Zip(actual).TakeWhile(pair => pair.First == pair.Second).Count();
        Assert.True(expected.SequenceEqual(actual),
            $"{Regenerate}{Environment.NewLine}configurations: {expected.ElementAtOrDefault(first)}{Environment.NewLine}compiled:       {actual.ElementAtOrDefault(first)}");
    }

    private static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(',', properties.Select(p => p.Name));

    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{entity.Name} -> {string.Join(',', entity.GetTableMappings().Select(m => m.Table.Name))}\n");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var converter = property.GetTypeMapping().Converter;
                text.Append(CultureInfo.InvariantCulture,
                    $"  {property.Name}: {property.ClrType.Name} null={property.IsNullable} column={string.Join(',', property.GetTableColumnMappings().Select(m => m.Column.Name + " " + m.Column.StoreType))} converter={converter?.GetType().Name} provider={(converter?.ProviderClrType ?? property.ClrType).Name} max={property.GetMaxLength()} generated={property.ValueGenerated} concurrency={property.IsConcurrencyToken}\n");
            }

            foreach (var key in entity.GetKeys().OrderBy(k => Names(k.Properties), StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"  key {Names(key.Properties)} primary={key.IsPrimaryKey()}\n");
            }

            foreach (var index in entity.GetIndexes().OrderBy(i => Names(i.Properties), StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"  index {Names(index.Properties)} unique={index.IsUnique} as {string.Join(',', index.GetMappedTableIndexes().Select(t => t.Name))}\n");
            }

            foreach (var navigation in entity.GetNavigations().OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"  -> {navigation.Name}: {navigation.TargetEntityType.Name} collection={navigation.IsCollection}\n");
            }

            foreach (var key in entity.GetForeignKeys().OrderBy(k => k.PrincipalEntityType.Name, StringComparer.Ordinal).ThenBy(k => Names(k.Properties), StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"  fk {Names(key.Properties)} -> {key.PrincipalEntityType.Name} delete={key.DeleteBehavior}\n");
            }
        }

        return text.ToString();
    }
}
