using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IncidentBot.BackgroundJobs;

/// <summary>The <c>BackgroundJobs</c> section: where Hangfire keeps jobs, whether this process runs them, the dashboard.</summary>
public sealed class BackgroundJobsOptions
{
    public const string Section = "BackgroundJobs";

    /// <summary>
    /// The job storage. <c>InMemory</c> (the embedded default) forgets queued jobs on restart, which is why every job
    /// re-reads its state from our database and the sweep queues again what is unfinished.
    /// </summary>
    public string Storage { get; set; } = JobStorageKinds.InMemory;

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

    /// <summary>The storages this build can use; scale-out adds PostgreSQL here (Hangfire.PostgreSql), nothing home-made.</summary>
    public static IReadOnlyList<string> Supported { get; } = [InMemory];
}

internal sealed class BackgroundJobsOptionsValidator : IValidateOptions<BackgroundJobsOptions>
{
    public ValidateOptionsResult Validate(string? name, BackgroundJobsOptions options)
    {
        var failures = new List<string>();
        if (!JobStorageKinds.Supported.Contains(options.Storage, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"BackgroundJobs:Storage '{options.Storage}' is not available in this build; use one of: {string.Join(", ", JobStorageKinds.Supported)}.");
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
