using System.Data.Common;
using Npgsql;

namespace IncidentBot.Storage;

/// <summary>
/// What the bot's own PostgreSQL connections (EF's) use unless the connection string says otherwise; a setting the
/// connection string names itself is taken as it is.
/// - Auto-preparation: the hot path sends the same few statements thousands of times a second, and without it the
///   server parses and plans each one every time, on the same cores as the bot when both run on one machine. Behind
///   a pooler that cannot keep prepared statements, set <c>Max Auto Prepare=0</c>.
/// - A smaller pool than Npgsql's 100: a burst of concurrent events then waits a moment for a connection instead of
///   taking all of the server's (PostgreSQL's default <c>max_connections</c> is 100, for every replica and Hangfire
///   together); past that the server refuses new ones and the events fail. One event holds a connection for one
///   round trip, so a few dozen carry any burst.
/// - No reset when a connection goes back to the pool: with prepared statements Npgsql cannot send DISCARD ALL, so
///   it prefixed every next use with a run of reset statements (RESET ALL, UNLISTEN *, pg_advisory_unlock_all() and more),
///   about 700 resets a second under the bench's load. The bot leaves no session state to reset: its advisory locks
///   are transaction-scoped, it never LISTENs (Hangfire does, on a pool of its own), sets nothing for the session and
///   creates no temporary tables; an open transaction is still rolled back on close.
/// </summary>
public static class PostgreSqlConnectionDefaults
{
    public const int MaxAutoPrepare = 64;

    public const int MaxPoolSize = 20;

    public static string Apply(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "maxautoprepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!Names(connectionString, "maximumpoolsize") && !Names(connectionString, "maxpoolsize"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        if (!Names(connectionString, "noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // Npgsql's builder answers ContainsKey for every keyword it knows, set or not; the raw keys tell what was written
    // (in any of its spellings: "Max Auto Prepare", "MaxAutoPrepare", any case).
    private static bool Names(string connectionString, string normalizedKey) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), normalizedKey, StringComparison.OrdinalIgnoreCase));
}
