using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The database engine: <c>Sqlite</c> (the embedded default, one bot per file) or <c>PostgreSQL</c>, whose Npgsql
    /// connection string is <c>ConnectionStrings:IncidentBot</c>. Checked by <see cref="DatabaseLocationValidator"/>.
    /// </summary>
    public string? Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>
    /// SQLite's synchronous mode. FULL (the default) keeps everything acknowledged through an OS crash or power cut
    /// too: the group commit pays its fsync once per batch of concurrent events, not once per event. NORMAL (with WAL)
    /// keeps it through a crash of the process only. OFF is never allowed.
    /// </summary>
    [RegularExpression("^(NORMAL|FULL|EXTRA)$", ErrorMessage = "Storage:SqliteSynchronous must be NORMAL, FULL or EXTRA.")]
    public string? SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// Days the channel messages captured during an incident are kept after its post-mortem draft is published: the
    /// draft, the timeline and its review history stay; the raw conversation goes.
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Storage:KeepMessagesDays must be between 1 and 3650.")]
    public int KeepMessagesDays { get; set; } = 30;

    /// <summary>An empty setting means the default.</summary>
    public string EffectiveSqliteSynchronous => string.IsNullOrWhiteSpace(SqliteSynchronous) ? "FULL" : SqliteSynchronous;
}

/// <summary>The database engines this build can use.</summary>
public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";

    public static IReadOnlyList<string> Supported { get; } = [Sqlite, PostgreSql];

    /// <summary>The provider as spelled here, or null when the setting names none of them (an empty one is the default).</summary>
    public static string? Normalize(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Sqlite : Supported.FirstOrDefault(p => p.Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string? From(IConfiguration configuration) => Normalize(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"]);
}
