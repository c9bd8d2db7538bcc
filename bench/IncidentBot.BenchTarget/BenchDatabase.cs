using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IncidentBot.BenchTarget;

/// <summary>
/// A fresh database for one run: a new SQLite file, or a new PostgreSQL database made through the admin connection
/// string and dropped afterwards. It also counts the messages the bot stored, to hold them against the 200s.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    private BenchDatabase(string provider, string connectionString, string? postgresAdmin = null, string? postgresName = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
    }

    /// <summary><c>Storage:Provider</c>.</summary>
    public string Provider { get; }

    /// <summary><c>ConnectionStrings:IncidentBot</c>.</summary>
    public string ConnectionString { get; }

    public static BenchDatabase Sqlite(string folder) =>
        new("Sqlite", $"Data Source={Path.Combine(folder, "incidentbot-bench.db")}");

    public static async Task<BenchDatabase> PostgreSqlAsync(string admin)
    {
        var name = "incidentbot_bench_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new BenchDatabase("PostgreSQL", new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, admin, name);
    }

    /// <summary>The rows of the bot's captured channel messages.</summary>
    public async Task<long> CountMessagesAsync()
    {
        await using DbConnection connection = _postgresAdmin is null
            ? new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM \"Messages\"";
        return Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
