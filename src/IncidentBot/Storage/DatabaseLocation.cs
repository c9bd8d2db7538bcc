using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// Where the database lives: the connection string as configured, and the file it names. In Production it must be
/// configured (a file silently created in whatever the working directory is would be lost with the container);
/// elsewhere (Development, tests) <c>incidentbot.db</c> in the working directory is fine.
/// </summary>
public sealed class DatabaseLocation
{
    public const string DevelopmentDefault = "Data Source=incidentbot.db";

    private DatabaseLocation(string connectionString, bool configured)
    {
        ConnectionString = connectionString;
        IsConfigured = configured;
        var dataSource = new SqliteConnectionStringBuilder(connectionString) is { Mode: not SqliteOpenMode.Memory, DataSource: { Length: > 0 } source and not ":memory:" }
            ? source
            : null;
        FilePath = dataSource is null ? null : Path.GetFullPath(dataSource);
    }

    public string ConnectionString { get; }

    /// <summary>False when no connection string was given and the development default is used.</summary>
    public bool IsConfigured { get; }

    /// <summary>The database file (absolute, as SQLite resolves it from the working directory); null for an in-memory database.</summary>
    public string? FilePath { get; }

    public static DatabaseLocation From(IConfiguration configuration) =>
        configuration.GetConnectionString(StorageServiceCollectionExtensions.ConnectionStringName) is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? new DatabaseLocation(configured, configured: true)
            : new DatabaseLocation(DevelopmentDefault, configured: false);
}
