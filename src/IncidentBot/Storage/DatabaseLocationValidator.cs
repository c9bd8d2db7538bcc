using Microsoft.Extensions.Options;
using Npgsql;

namespace IncidentBot.Storage;

/// <summary>
/// The provider is one this build knows. SQLite: in Production the database's file is named on purpose, since the
/// default would land wherever the process was started. PostgreSQL: the connection string is set, readable, and
/// reaches the server now, so a typo or a firewall is a start-up error (exit 78) rather than a bot that acknowledges
/// nothing.
/// </summary>
internal sealed class DatabaseLocationValidator(DatabaseLocation location, IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public const string NotConfigured =
        "ConnectionStrings:IncidentBot is not set (ConnectionStrings__IncidentBot): in Production the database file must be named, "
        + "on a persistent volume, e.g. ConnectionStrings__IncidentBot=\"Data Source=/var/lib/incidentbot/incidentbot.db\".";

    public const string PostgreSqlNotConfigured =
        "Storage:Provider is PostgreSQL, so ConnectionStrings:IncidentBot (ConnectionStrings__IncidentBot) must be an Npgsql connection string, "
        + "e.g. \"Host=db.internal;Port=5432;Database=incidentbot;Username=incidentbot;Password=…\".";

    /// <summary>How long the check at start waits for the server (a connection string's own shorter Timeout wins).</summary>
    private const int ReachTimeoutSeconds = 10;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (location.Provider is null)
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider '{options.Provider}' is not known (Storage__Provider); use one of: {string.Join(", ", StorageProviders.Supported)}.");
        }

        if (!location.IsPostgreSql)
        {
            return environment.IsProduction() && !location.IsConfigured ? ValidateOptionsResult.Fail(NotConfigured) : ValidateOptionsResult.Success;
        }

        return PostgreSqlProblem(location.ConnectionString) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private static string? PostgreSqlProblem(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return PostgreSqlNotConfigured;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The message names the offending keyword, never the password.
            return $"ConnectionStrings:IncidentBot is not a valid Npgsql connection string ({exception.Message}). " + PostgreSqlNotConfigured;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return "ConnectionStrings:IncidentBot names no Host. " + PostgreSqlNotConfigured;
        }

        builder.Timeout = Math.Min(builder.Timeout, ReachTimeoutSeconds);
        builder.Pooling = false;
        try
        {
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"The PostgreSQL server in ConnectionStrings:IncidentBot (Host={builder.Host}, Port={builder.Port}, Database={builder.Database ?? "(default)"}, "
                + $"Username={builder.Username ?? "(default)"}) cannot be reached: {exception.Message} "
                + "Check that it is running and accepts this user from this host, or set ConnectionStrings__IncidentBot.";
        }
    }
}
