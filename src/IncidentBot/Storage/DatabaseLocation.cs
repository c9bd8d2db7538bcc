using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// Where the database lives: the provider, the connection string as configured, and (SQLite) the file it names. In
/// Production it must be configured (a file silently created in whatever the working directory is would be lost with
/// the container); elsewhere (Development, tests) <c>incidentbot.db</c> in the working directory is fine. PostgreSQL
/// always needs one: there is no default server.
/// </summary>
public sealed class DatabaseLocation
{
    public const string DevelopmentDefault = "Data Source=incidentbot.db";

    private DatabaseLocation(string? provider, string connectionString, bool configured)
    {
        Provider = provider;
        ConnectionString = connectionString;
        IsConfigured = configured;
        // Only a SQLite connection string names a file (and only SQLite's builder can read one).
        var dataSource = provider == StorageProviders.Sqlite
            && new SqliteConnectionStringBuilder(connectionString) is { Mode: not SqliteOpenMode.Memory, DataSource: { Length: > 0 } source and not ":memory:" }
            ? source
            : null;
        FilePath = dataSource is null ? null : Path.GetFullPath(dataSource);
    }

    /// <summary>One of <see cref="StorageProviders"/>, or null when <c>Storage:Provider</c> names none (the validator says so).</summary>
    public string? Provider { get; }

    public bool IsPostgreSql => Provider == StorageProviders.PostgreSql;

    public string ConnectionString { get; }

    /// <summary>False when no connection string was given and the development default is used.</summary>
    public bool IsConfigured { get; }

    /// <summary>The SQLite database file (absolute, as SQLite resolves it from the working directory); null for an in-memory database or PostgreSQL.</summary>
    public string? FilePath { get; }

    public static DatabaseLocation From(IConfiguration configuration)
    {
        var provider = StorageProviders.From(configuration);
        return configuration.GetConnectionString(StorageServiceCollectionExtensions.ConnectionStringName) is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? new DatabaseLocation(provider, configured, configured: true)
            : new DatabaseLocation(provider, provider == StorageProviders.PostgreSql ? "" : DevelopmentDefault, configured: false);
    }
}
