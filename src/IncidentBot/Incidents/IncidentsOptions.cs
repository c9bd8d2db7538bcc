using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>How incidents are declared and run: the Incidents capability's part of the <c>Incidents</c> section.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    public static readonly IReadOnlyList<string> DefaultSeverityLevels = ["SEV1", "SEV2", "SEV3", "SEV4"];

    /// <summary>A live incident whose timeline has been quiet this long gets a nudge in its channel.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Incidents:NudgeAfterMinutes must be between 1 and 1440.")]
    public int NudgeAfterMinutes { get; set; } = 30;

    /// <summary>True: each incident gets a new channel; false: it lives in the channel where it was declared.</summary>
    public bool CreateChannel { get; set; } = true;

    /// <summary>Incident channels are named <c>{prefix}-{yyyy-MM-dd}-{title}</c>.</summary>
    [RegularExpression("^[a-z0-9_-]{1,20}$", ErrorMessage = "Incidents:ChannelPrefix must be 1-20 lowercase letters, digits, '-' or '_' (Slack's channel name rules).")]
    public string ChannelPrefix { get; set; } = "inc";

    /// <summary>Allowed severities, most severe first. When configured, replaces the defaults.</summary>
    public List<string>? SeverityLevels { get; set; }

    public IReadOnlyList<string> Severities => SeverityLevels is { Count: > 0 } ? SeverityLevels : DefaultSeverityLevels;
}

internal sealed class IncidentsOptionsValidator : IValidateOptions<IncidentsOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentsOptions options) =>
        options.Severities.Any(string.IsNullOrWhiteSpace) || options.Severities.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Severities.Count
            ? ValidateOptionsResult.Fail("Incidents:SeverityLevels must be distinct, non-empty names, e.g. SEV1, SEV2.")
            : ValidateOptionsResult.Success;
}
