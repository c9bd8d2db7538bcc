using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

/// <summary>In Production the database's file is named on purpose: the default would land wherever the process was started.</summary>
internal sealed class DatabaseLocationValidator(DatabaseLocation location, IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public const string NotConfigured =
        "ConnectionStrings:IncidentBot is not set (ConnectionStrings__IncidentBot): in Production the database file must be named, "
        + "on a persistent volume, e.g. ConnectionStrings__IncidentBot=\"Data Source=/var/lib/incidentbot/incidentbot.db\".";

    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        environment.IsProduction() && !location.IsConfigured ? ValidateOptionsResult.Fail(NotConfigured) : ValidateOptionsResult.Success;
}
