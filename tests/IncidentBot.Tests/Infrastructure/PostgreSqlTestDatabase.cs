using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test server (<see cref="EnvironmentVariable"/>, as <c>.ci/run</c> starts it), dropped
/// afterwards. When the server cannot be reached the test fails in CI (<c>CI=true</c>) and is skipped elsewhere,
/// both times saying how to start it: never a silent pass.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "INCIDENTBOT_TEST_POSTGRES";

    /// <summary>What <c>.ci/run</c> creates: a loopback cluster and this role.</summary>
    public const string Default = "Host=127.0.0.1;Port=5432;Username=incidentbot;Password=incidentbot-tests;Database=postgres";

    private readonly string _admin;

    private PostgreSqlTestDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The bot's settings for this database (provider and connection string).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:Provider"] = "PostgreSQL",
        ["ConnectionStrings:IncidentBot"] = ConnectionString,
    };

    /// <summary>The bot in this process, on this database, with the other settings of <paramref name="options"/>.</summary>
    public Task<BotHost> StartBotAsync(BotHostOptions? options = null)
    {
        options ??= new BotHostOptions();
        foreach (var (key, value) in Settings)
        {
            options.Settings[key] = value;
        }

        return BotHost.StartAsync(options);
    }

    /// <summary>Reads the bot's tables in this database as they are now, through the bot's own PostgreSQL model.</summary>
    public async Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query)
    {
        await using var db = new PostgreSqlIncidentBotDbContext(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql(ConnectionString).Options);
        return await query(db);
    }

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : Default;
        var builder = new NpgsqlConnectionStringBuilder(admin) { Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            var name = "incidentbot_test_" + Guid.NewGuid().ToString("N");
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
            return new PostgreSqlTestDatabase(builder.ConnectionString, name);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            var message = $"This test needs PostgreSQL, which is not reachable at Host={builder.Host};Port={builder.Port};Username={builder.Username} ({exception.Message}). "
                + "Run .ci/run, which installs and starts a loopback cluster and creates the role; or, as root, `pg_ctlcluster 15 main start` "
                + "(`pg_createcluster 15 main --start` when `pg_lsclusters` lists none) and create a role that may create databases, "
                + $"then set {EnvironmentVariable} to its connection string (default: {Default}).";
            Skip.If(!IsCi, message);
            throw new InvalidOperationException(message, exception);
        }
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        // The bot's pooled connections would otherwise keep the database open; FORCE ends any left.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker in the database (after a test's large insert) is not ours to end: it soon is done.
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
