using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using IncidentBot.Storage;

namespace IncidentBot.BackgroundJobs.Failover;

/// <summary>
/// How replicas sharing one job storage (PostgreSQL) notice each other's death. Hangfire's defaults suit one long-lived
/// server: a beat every 30 s, a server declared dead after 5 minutes, a fetched job invisible to the others for 30
/// minutes. The promise is that another replica finishes a killed one's work within 30 seconds, so:
/// a dead server is recognised <see cref="ServerTimeout"/> after its last beat, and its jobs are queued again within
/// <see cref="RequeueEvery"/> of that (<see cref="RequeueJobsOfDeadServers"/>): 16 seconds after the kill at worst.
/// The outbox lease (15 s from its last renewal, which came before the kill) has lapsed by then, or does within a
/// second or two, so the new run takes the interrupted write over and the work is done well inside the 30 seconds.
/// </summary>
public static class SharedJobStorage
{
    /// <summary>Each server's heartbeat: cheap (one UPDATE of its row), and three of them fit in <see cref="ServerTimeout"/>.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Three missed heartbeats and some: a server is dead. A live one mistaken for dead (a stall that long) costs nothing but a
    /// second run of its job, which the outbox's lease keeps from writing anything twice (and Hangfire itself aborts
    /// the first run once its state is no longer its own).
    /// </summary>
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often each server's watchdog removes the dead ones from the list.</summary>
    public static readonly TimeSpan ServerCheckInterval = TimeSpan.FromSeconds(3);

    /// <summary>How often a replica looks for jobs held by dead servers (one replica at a time, under a distributed lock).</summary>
    public static readonly TimeSpan RequeueEvery = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The second line of defence: a fetched job's row is kept fresh while it runs (a sliding timeout, refreshed every
    /// fifth of it), so a job left by a dead server is fetched again after a minute even if no replica re-queued it.
    /// </summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A lock row left by a killed replica (Hangfire.PostgreSql's locks are rows, not sessions) is taken back after this,
    /// not after the 10 minutes' default that would stop recurring work meanwhile. Every Hangfire lock the bot and
    /// Hangfire take is held for a moment (one batch, one sweep); the sweep waits at most 60 s for its own. The
    /// re-queueing of a dead server's jobs, which the 30 s failover rests on, takes no such lock: see
    /// <see cref="RequeueJobsOfDeadServers"/>.
    /// </summary>
    public static readonly TimeSpan DistributedLockTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Longer than Hangfire's install script takes on a slow server; a replica waiting longer stops with the lock's timeout.</summary>
    private static readonly TimeSpan SchemaInstallWait = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The bot's database, Hangfire's own schema, created (and upgraded) by Hangfire as the storage is made. One
    /// replica at a time: replicas starting together on an empty database would otherwise each run the install
    /// script at once, and all but one fail on CREATE SCHEMA (a duplicate key in pg_namespace), recovering only
    /// through Hangfire's start-up retries, later and with an error in the log. Made once, at start, where
    /// nothing waits on this thread: blocking on the lock is safe.
    /// </summary>
    public static JobStorage Create(string connectionString, ReplicaLocks locks)
    {
        var storageOptions = StorageOptions();
        var held = locks.HoldAsync("hangfire-schema-install", SchemaInstallWait, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        }
        finally
        {
            held.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Hangfire.PostgreSql's options for the bot's database: its schema, long polling, the timeouts above.</summary>
    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = JobStorageKinds.PostgreSqlSchema,
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY: a job queued (or queued again) by any replica is fetched at once, not after QueuePollInterval (15 s).
        EnableLongPolling = true,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = InvisibilityTimeout,
        DistributedLockTimeout = DistributedLockTimeout,
    };

    /// <summary>The server options that make a dead server known in seconds.</summary>
    public static void Configure(BackgroundJobServerOptions server)
    {
        server.HeartbeatInterval = HeartbeatInterval;
        server.ServerTimeout = ServerTimeout;
        server.ServerCheckInterval = ServerCheckInterval;
    }

    /// <summary>
    /// The servers alive now: listed, and beating within <see cref="ServerTimeout"/> of the freshest beat. Judged against
    /// that beat, written by the database's own clock, rather than this process's clock (which a test may fake).
    /// </summary>
    public static IReadOnlySet<string> LiveServers(IMonitoringApi monitoring)
    {
        var beats = monitoring.Servers().Where(s => s.Heartbeat is not null).ToList();
        if (beats.Count == 0)
        {
            return new HashSet<string>();
        }

        var freshest = beats.Max(s => s.Heartbeat!.Value);
        return beats.Where(s => s.Heartbeat!.Value >= freshest - ServerTimeout).Select(s => s.Name).ToHashSet();
    }
}
