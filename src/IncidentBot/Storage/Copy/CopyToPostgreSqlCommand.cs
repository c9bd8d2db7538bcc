using Npgsql;

namespace IncidentBot.Storage.Copy;

/// <summary>
/// <c>copy-to-postgresql --from "Data Source=…" --to "Host=…;Database=…;…"</c>: moves an existing install's SQLite
/// database into an empty PostgreSQL database, then exits. It runs before (and instead of) the web host, so it needs
/// no Slack settings. Hangfire's jobs are not copied: on SQLite they live in memory, and the sweep finds the
/// unfinished work again when the bot starts on PostgreSQL.
/// </summary>
public static class CopyToPostgreSqlCommand
{
    public const string Name = "copy-to-postgresql";

    /// <summary>The copy was refused (bad arguments, a source not at this schema or in use, a non-empty target); nothing changed.</summary>
    public const int RefusedExitCode = 78; // EX_CONFIG, as a start refused for its settings

    /// <summary>The copy failed part way (the server went away, a row was rejected); the target's transaction was rolled back.</summary>
    public const int FailedExitCode = 1;

    public const string Usage =
        "Usage: " + Name + " --from \"Data Source=/data/incidentbot.db\" --to \"Host=…;Port=5432;Database=incidentbot;Username=…;Password=…\"";

    public static bool IsAsked(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            var (from, to) = Parse(args);
            output.WriteLine($"Copying SQLite {SourceFile(from)} into {Describe(to)}");
            await using var source = await SqliteCopySource.OpenAsync(from, cancellationToken);
            await using var target = await PostgreSqlCopyTarget.OpenAsync(to, cancellationToken);
            var copied = await SqliteToPostgreSqlCopier.CopyAsync(source, target, cancellationToken);
            foreach (var (table, rows) in copied)
            {
                output.WriteLine($"  {table,-20} {rows,8} rows");
            }

            output.WriteLine($"Copied {copied.Sum(t => t.Rows)} rows in {copied.Count} tables. Hangfire's queued jobs are not copied (on SQLite they are in memory): "
                + "the sweep finds unfinished work again when the bot starts with Storage__Provider=PostgreSQL and this connection string.");
            return 0;
        }
        catch (CopyRefusedException refused)
        {
            error.WriteLine($"{Name} refused: {refused.Message}");
            return RefusedExitCode;
        }
        catch (Exception exception) when (exception is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or TimeoutException or InvalidOperationException)
        {
            // Npgsql's messages name the server and the problem, never the password.
            error.WriteLine($"{Name} failed, and the target was left as it was before the copy began (its schema migrated): {exception.Message}");
            return FailedExitCode;
        }
    }

    private static (string From, string To) Parse(string[] args)
    {
        string? from = null, to = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                case "--to" when i + 1 < args.Length:
                    to = args[++i];
                    break;
                default:
                    throw new CopyRefusedException($"'{args[i]}' is not an option of {Name}. {Usage}");
            }
        }

        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            throw new CopyRefusedException($"Both --from and --to are needed. {Usage}");
        }

        return (from, to);
    }

    /// <summary>Only the file: a SQLite connection string may carry a password too.</summary>
    private static string SourceFile(string connectionString)
    {
        try
        {
            return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        }
        catch (ArgumentException exception)
        {
            throw new CopyRefusedException($"--from is not a SQLite connection string ({exception.Message}). {Usage}");
        }
    }

    /// <summary>The target as the user may see it in a terminal or a CI log: everything but the password.</summary>
    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
            {
                throw new CopyRefusedException($"--to must name a Host and a Database. {Usage}");
            }

            return $"PostgreSQL Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username ?? "(default)"}";
        }
        catch (ArgumentException exception)
        {
            throw new CopyRefusedException($"--to is not an Npgsql connection string ({exception.Message}). {Usage}");
        }
    }
}
