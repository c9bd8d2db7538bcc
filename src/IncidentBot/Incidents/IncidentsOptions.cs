using System.ComponentModel.DataAnnotations;
using IncidentBot.People;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>How incidents are declared and run: the Incidents capability's part of the <c>Incidents</c> section.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    public static readonly IReadOnlyList<SeverityLevel> DefaultSeverities =
    [
        new() { Name = "SEV1", Description = "Critical: the product is down or data is at risk for many customers", UpdateEveryMinutes = 30 },
        new() { Name = "SEV2", Description = "Major: a key feature is broken or badly degraded for many customers", UpdateEveryMinutes = 60 },
        new() { Name = "SEV3", Description = "Minor: a feature is degraded for some customers, or a workaround exists", UpdateEveryMinutes = 120 },
        new() { Name = "SEV4", Description = "Low: little or no customer impact", UpdateEveryMinutes = null },
    ];

    public static readonly IReadOnlyList<string> DefaultRoles = ["Scribe", "Communications"];

    /// <summary>A live incident whose timeline has been quiet this long gets a nudge in its channel.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Incidents:NudgeAfterMinutes must be between 1 and 1440.")]
    public int NudgeAfterMinutes { get; set; } = 30;

    /// <summary>Days after the close when the bot archives the channel it opened for the incident; null: never.</summary>
    [Range(1, 365, ErrorMessage = "Incidents:ArchiveChannelAfterDays must be between 1 and 365, or empty to never archive.")]
    public int? ArchiveChannelAfterDays { get; set; }

    /// <summary>True: each incident gets a new channel; false: it lives in the channel where it was declared.</summary>
    public bool CreateChannel { get; set; } = true;

    /// <summary>Incident channels are named <c>{prefix}-{yyyy-MM-dd}-{title}</c>.</summary>
    [RegularExpression("^[a-z0-9_-]{1,20}$", ErrorMessage = "Incidents:ChannelPrefix must be 1-20 lowercase letters, digits, '-' or '_' (Slack's channel name rules).")]
    public string ChannelPrefix { get; set; } = "inc";

    /// <summary>The severities, most severe first, each with what it means and how often the lead posts an update. When configured, replaces the defaults.</summary>
    public List<SeverityLevel>? Severities { get; set; }

    /// <summary>The names only, as the first releases took them (<c>Incidents:SeverityLevels</c>); <see cref="Severities"/> wins when both are set.</summary>
    public List<string>? SeverityLevels { get; set; }

    /// <summary>The roles besides the lead (<c>/incident role</c>), one word each. When configured, replaces the defaults.</summary>
    public List<string>? Roles { get; set; }

    /// <summary>A channel id where stakeholders get a card of each incident (not private ones) and its status updates; empty: none.</summary>
    public string? AnnouncementsChannel { get; set; }

    /// <summary>
    /// Slack user ids (<c>U…</c>, <c>W…</c>) and user group ids (<c>S…</c>) who may close, reopen, hand over the lead and
    /// set the severity. Empty: anyone in the incident's channel may.
    /// </summary>
    public List<string> Responders { get; set; } = [];

    public IReadOnlyList<string> RoleNames => Roles is { Count: > 0 } ? Roles : DefaultRoles;

    /// <summary>The role named <paramref name="name"/> (any case) as configured, or null.</summary>
    public string? Role(string? name) => RoleNames.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<SeverityLevel> Levels =>
        Severities is { Count: > 0 } ? Severities
        : SeverityLevels is { Count: > 0 } ? [.. SeverityLevels.Select(name => new SeverityLevel { Name = name })]
        : DefaultSeverities;

    public IReadOnlyList<string> SeverityNames => [.. Levels.Select(l => l.Name)];

    /// <summary>The level named <paramref name="name"/> (any case), or null.</summary>
    public SeverityLevel? Severity(string? name) => Levels.FirstOrDefault(l => string.Equals(l.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>One severity: its name (<c>SEV1</c>), what it means, and how often the lead should post a status update (null: no reminder).</summary>
public sealed class SeverityLevel
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public int? UpdateEveryMinutes { get; set; }
}

internal sealed class IncidentsOptionsValidator : IValidateOptions<IncidentsOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentsOptions options)
    {
        var names = options.SeverityNames;
        var key = options.Severities is { Count: > 0 } ? "Incidents:Severities" : "Incidents:SeverityLevels";
        List<string> problems = [];
        if (names.Any(n => string.IsNullOrWhiteSpace(n) || n.Length > 20) || names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
        {
            problems.Add($"{key} must be distinct, non-empty names of at most 20 characters, e.g. SEV1, SEV2.");
        }

        if (options.Levels.Any(l => l.UpdateEveryMinutes is < 1 or > 24 * 60))
        {
            problems.Add("Incidents:Severities:N:UpdateEveryMinutes must be between 1 and 1440, or left out for no update reminder.");
        }

        if (options.Levels.Any(l => l.Description?.Length > 150))
        {
            problems.Add("Incidents:Severities:N:Description must be at most 150 characters (Slack shows it in a menu).");
        }

        var roles = options.RoleNames;
        if (roles.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 30 || r.Any(char.IsWhiteSpace) || r.Equals("lead", StringComparison.OrdinalIgnoreCase))
            || roles.Distinct(StringComparer.OrdinalIgnoreCase).Count() != roles.Count)
        {
            problems.Add("Incidents:Roles must be distinct single words of at most 30 characters, other than 'lead', e.g. Scribe, Communications.");
        }

        if (options.AnnouncementsChannel is { Length: > 0 } channel && !SlackIds.IsChannel(channel))
        {
            problems.Add($"Incidents:AnnouncementsChannel holds '{channel}', which is not a Slack channel id (C…, G…).");
        }

        if (SlackIds.FirstNotPersonOrGroup(options.Responders) is { } bad)
        {
            problems.Add($"Incidents:Responders holds '{bad}', which is not a Slack user id (U…, W…) or user group id (S…).");
        }

        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
