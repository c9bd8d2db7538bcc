using IncidentBot.SlackFake;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Where tests of several bot replicas begin: real processes (<c>dotnet IncidentBot.dll</c>, each with its own Hangfire
/// server) on one PostgreSQL database of their own, and a fake Slack on the real clock. A test starts replicas, kills
/// one as <c>kill -9</c> does, and reads the database (the bot's tables, Hangfire's schema) as it is; every process is
/// killed and the database dropped at the end.
/// </summary>
public abstract class ReplicasTestBase : IAsyncLifetime
{
    private PostgreSqlTestDatabase? _database;

    /// <summary>The replicas started so far, in order.</summary>
    protected List<BotProcess> Replicas { get; } = [];

    protected FakeSlackServer Slack { get; private set; } = null!;

    protected PostgreSqlTestDatabase Database => _database ?? throw new InvalidOperationException("Start the replicas first.");

    public async Task InitializeAsync() =>
        Slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });

    public async Task DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        await Slack.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>The settings every replica gets: connected to the fake Slack, on the shared database.</summary>
    protected BotHostOptions ReplicaOptions()
    {
        var options = BotHostOptions.ConnectedTo(Slack);
        // Failover is a matter of seconds: the replicas' output says when each thing happened.
        options.Settings["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in Database.Settings)
        {
            options.Settings[key] = value;
        }

        return options;
    }

    /// <summary>
    /// Starts <paramref name="count"/> replicas at the same moment (on a database made here the first time, empty), each
    /// with <paramref name="configure"/>d settings, and waits until all are healthy. Slack delivers to the first.
    /// </summary>
    protected async Task<IReadOnlyList<BotProcess>> StartReplicasAsync(int count, Func<BotHostOptions, BotHostOptions>? configure = null)
    {
        _database ??= await PostgreSqlTestDatabase.CreateAsync();
        var starting = Enumerable.Range(0, count)
            .Select(_ => BotProcess.StartAsync(configure?.Invoke(ReplicaOptions()) ?? ReplicaOptions()))
            .ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Whichever started is killed at the end, even when another did not.
            Replicas.AddRange(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
        }

        var started = starting.Select(s => s.Result).ToList();
        if (Replicas.Count == count)
        {
            Slack.ConnectBot(started[0].BaseUrl);
        }

        return started;
    }

    /// <summary>
    /// The replica whose Hangfire server is running a job of <paramref name="jobType"/> now (Hangfire's Processing state
    /// names the server, <c>host:pid:guid</c>); null when none is.
    /// </summary>
    protected async Task<BotProcess?> ReplicaRunningAsync(Type jobType)
    {
        var servers = await HangfireAsync(
            """
            SELECT (s.data::jsonb)->>'ServerId' FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
            WHERE j.statename = 'Processing' AND j.invocationdata::text LIKE @type
            """,
            ("type", $"%{jobType.FullName}%"));
        var pids = servers.Select(id => int.Parse(id.Split(':')[^2], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        return Replicas.FirstOrDefault(r => !r.HasExited && pids.Contains(r.Id));
    }

    /// <summary>Waits until a replica runs a job of <paramref name="jobType"/>, and returns it.</summary>
    protected async Task<BotProcess> WaitForReplicaRunningAsync(Type jobType)
    {
        BotProcess? running = null;
        await Eventually.Until(async () => (running = await ReplicaRunningAsync(jobType)) is not null, $"a replica to run {jobType.Name}", () => string.Join("\n---\n", Replicas.Select(r => r.Output)));
        return running!;
    }

    /// <summary>Waits until Hangfire has nothing queued or running: what the replicas were given to do is done.</summary>
    protected Task<bool> WaitForJobsDoneAsync() =>
        Eventually.TryUntil(async () => (await HangfireAsync("SELECT statename FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing')")).Count == 0);

    /// <summary>Reads the bot's database as it is now.</summary>
    protected Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query) => Database.QueryAsync(query);

    /// <summary>The first column of what <paramref name="sql"/> returns from the shared database (Hangfire's schema, say).</summary>
    protected async Task<List<string>> HangfireAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
