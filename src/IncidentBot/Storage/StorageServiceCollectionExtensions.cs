using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "IncidentBot";

    /// <summary>
    /// EF Core on SQLite (the embedded default) or PostgreSQL (<c>Storage:Provider</c>); the schema is migrated before
    /// the app takes requests.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var location = DatabaseLocation.From(configuration);
        services.AddSingleton(location);
        services.AddSingleton<DatabaseFileLock>();
        services.AddSingleton<MigrationSnapshot>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, DatabaseLocationValidator>();
        // Asked for by the writers on every provider; it queues them only on SQLite (one writer at a time).
        services.AddSingleton(new SqliteWriteGate(gated: !location.IsPostgreSql));
        // On SQLite, the request path's one writer: concurrent events share a transaction (and its commit) instead of
        // queuing for one each. On PostgreSQL each keeps its own transaction, in parallel (see GroupCommit).
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<GroupCommit>(provider, !location.IsPostgreSql));
        // On PostgreSQL, the request path's one-statement writes of concurrent events, sent and committed together.
        services.AddSingleton<PipelinedStatements>();
        // Locks every replica on this database respects (none needed on SQLite, one bot per file).
        services.AddSingleton<ReplicaLocks>();
        services.AddHealthChecks().AddCheck<StorageWritableHealthCheck>("storage");

        // On both providers, the capabilities' own EF interceptors (say, a cache cleared when its rows change), registered as IInterceptor.
        if (location.IsPostgreSql)
        {
            // No file lock, pragmas or VACUUM INTO snapshot: the server owns durability, locking and backups.
            services.AddDbContextPool<IncidentBotDbContext, PostgreSqlIncidentBotDbContext>((provider, options) => options
                .UseNpgsql(PostgreSqlConnectionDefaults.Apply(location.ConnectionString)).AddInterceptors(provider.GetServices<IInterceptor>())
                .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, StorageMigrationsAssembly>());
        }
        else
        {
            // One per host: it remembers which pooled SQLite handles already have their settings.
            services.AddSingleton(provider => new SqlitePragmas(provider.GetRequiredService<IOptions<StorageOptions>>().Value.EffectiveSqliteSynchronous));
            services.AddDbContextPool<IncidentBotDbContext>((provider, options) => options
                .UseSqlite(location.ConnectionString)
                // SQLite rebuilds a table outside the migration's transaction (PRAGMA foreign_keys), which EF warns about
                // at every first start. The risk it names, a crash halfway, is what the snapshot before migrating
                // (MigrationSnapshot) is for, so the warning would only teach operators to ignore warnings.
                .ConfigureWarnings(warnings => warnings.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning))
                .AddInterceptors([provider.GetRequiredService<SqlitePragmas>(), .. provider.GetServices<IInterceptor>()])
                .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, StorageMigrationsAssembly>());
        }

        // First among the hosted services, so that the schema exists before anything else starts.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return services;
    }
}
