using System.ComponentModel.DataAnnotations;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.BackgroundJobs;

/// <summary>The <c>BackgroundJobs</c> section: where Hangfire keeps jobs, whether this process runs them, the dashboard.</summary>
public sealed class BackgroundJobsOptions
{
    public const string Section = "BackgroundJobs";

    /// <summary>
    /// The job storage. <c>InMemory</c> (the default on SQLite) forgets queued jobs on restart, which is why every job
    /// re-reads its state from our database and the sweep queues again what is unfinished. <c>PostgreSql</c> (the
    /// default when <c>Storage:Provider</c> is PostgreSQL) keeps them in the bot's own database, schema
    /// <see cref="JobStorageKinds.PostgreSqlSchema"/>. Empty means the provider's default.
    /// </summary>
    public string? Storage { get; set; }

    /// <summary>Run a Hangfire server in this process (off only for a process that just enqueues).</summary>
    public bool ServerEnabled { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    public DashboardOptions Dashboard { get; set; } = new();

    public sealed class DashboardOptions
    {
        /// <summary>Off unless configured; when on, only behind the credentials below.</summary>
        public bool Enabled { get; set; }

        public string Path { get; set; } = "/jobs";

        public string? Username { get; set; }

        public string? Password { get; set; }
    }
}

public static class JobStorageKinds
{
    public const string InMemory = "InMemory";
    public const string PostgreSql = "PostgreSql";

    /// <summary>Hangfire's tables live beside ours, in a schema of their own.</summary>
    public const string PostgreSqlSchema = "hangfire";

    /// <summary>The storages this build can use (Hangfire's own, nothing home-made).</summary>
    public static IReadOnlyList<string> Supported { get; } = [InMemory, PostgreSql];

    /// <summary>The storage as spelled here: the configured one, else the storage provider's default; null when it names none.</summary>
    public static string? Effective(string? configured, DatabaseLocation location) =>
        string.IsNullOrWhiteSpace(configured)
            ? (location.IsPostgreSql ? PostgreSql : InMemory)
            : Supported.FirstOrDefault(s => s.Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the job storage outlives this process and may be shared by other replicas (PostgreSQL), unlike the in-memory one.</summary>
    public static bool IsShared(string? configured, DatabaseLocation location) => Effective(configured, location) == PostgreSql;
}

internal sealed class BackgroundJobsOptionsValidator(DatabaseLocation location) : IValidateOptions<BackgroundJobsOptions>
{
    public ValidateOptionsResult Validate(string? name, BackgroundJobsOptions options)
    {
        var failures = new List<string>();
        var storage = JobStorageKinds.Effective(options.Storage, location);
        if (storage is null)
        {
            failures.Add($"BackgroundJobs:Storage '{options.Storage}' is not available in this build; use one of: {string.Join(", ", JobStorageKinds.Supported)}.");
        }
        else if (storage == JobStorageKinds.PostgreSql && !location.IsPostgreSql)
        {
            failures.Add("BackgroundJobs:Storage is PostgreSql, which keeps jobs in the bot's own database: set Storage:Provider to PostgreSQL too (Storage__Provider), or BackgroundJobs:Storage to InMemory.");
        }

        if (options.Dashboard.Enabled
            && (string.IsNullOrWhiteSpace(options.Dashboard.Username) || string.IsNullOrWhiteSpace(options.Dashboard.Password) || options.Dashboard.Password.Length < 12))
        {
            failures.Add("BackgroundJobs:Dashboard:Enabled is true, so BackgroundJobs:Dashboard:Username and BackgroundJobs:Dashboard:Password (at least 12 characters) must be set.");
        }

        if (!options.Dashboard.Path.StartsWith('/'))
        {
            failures.Add("BackgroundJobs:Dashboard:Path must start with '/'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
