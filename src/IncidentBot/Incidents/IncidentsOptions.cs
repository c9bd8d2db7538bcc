using System.ComponentModel.DataAnnotations;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>The <c>Incidents</c> configuration section.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    public static readonly IReadOnlyList<string> DefaultSeverityLevels = ["SEV1", "SEV2", "SEV3", "SEV4"];

    public static readonly IReadOnlyDictionary<string, TimelineSection> DefaultSectionReactions = new Dictionary<string, TimelineSection>
    {
        ["bulb"] = TimelineSection.ContributingFactors,
        ["hammer_and_wrench"] = TimelineSection.StabilizationSteps,
        ["white_check_mark"] = TimelineSection.CorrectiveActions,
    };

    /// <summary>The channel (an id such as C0123ABCD, or a name) where post-mortem drafts are posted.</summary>
    [Required(ErrorMessage = "Incidents:PostmortemChannel is not set. Set it in appsettings.json or the environment variable Incidents__PostmortemChannel to the channel id (e.g. C0123ABCD) for post-mortem drafts.")]
    public string PostmortemChannel { get; set; } = "";

    /// <summary>A Liquid template file for the Markdown draft; empty means the one shipped in the app.</summary>
    public string? PostmortemTemplate { get; set; }

    /// <summary>Also publish the draft as a Slack canvas (a tab of the incident channel).</summary>
    public bool PostmortemCanvas { get; set; }

    /// <summary>A live incident whose timeline has been quiet this long gets a nudge in its channel.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Incidents:NudgeAfterMinutes must be between 1 and 1440.")]
    public int NudgeAfterMinutes { get; set; } = 30;

    /// <summary>True: each incident gets a new channel; false: it lives in the channel where it was declared.</summary>
    public bool CreateChannel { get; set; } = true;

    /// <summary>Incident channels are named <c>{prefix}-{yyyy-MM-dd}-{title}</c>.</summary>
    [RegularExpression("^[a-z0-9_-]{1,20}$", ErrorMessage = "Incidents:ChannelPrefix must be 1-20 lowercase letters, digits, '-' or '_' (Slack's channel name rules).")]
    public string ChannelPrefix { get; set; } = "inc";

    /// <summary>The emoji (name without colons) that puts a message on the timeline.</summary>
    [RegularExpression("^[a-z0-9_+'-]+$", ErrorMessage = "Incidents:TimelineReaction must be an emoji name without colons, e.g. pushpin.")]
    public string TimelineReaction { get; set; } = "pushpin";

    /// <summary>Emoji → draft section. When configured, replaces the defaults (a merged map could not drop one).</summary>
    public Dictionary<string, TimelineSection>? SectionReactions { get; set; }

    /// <summary>Allowed severities, most severe first. When configured, replaces the defaults.</summary>
    public List<string>? SeverityLevels { get; set; }

    public IReadOnlyList<string> Severities => SeverityLevels is { Count: > 0 } ? SeverityLevels : DefaultSeverityLevels;

    public IReadOnlyDictionary<string, TimelineSection> Sections => SectionReactions is { Count: > 0 } ? SectionReactions : DefaultSectionReactions;

    /// <summary>
    /// The section a reaction puts its message in, or null when it is not one of ours. Skin tones
    /// (<c>+1::skin-tone-2</c>) count as the base emoji.
    /// </summary>
    public TimelineSection? SectionFor(string reaction)
    {
        var tone = reaction.IndexOf("::", StringComparison.Ordinal);
        var name = tone < 0 ? reaction : reaction[..tone];
        if (name == TimelineReaction)
        {
            return TimelineSection.Timeline;
        }

        return Sections.TryGetValue(name, out var section) ? section : null;
    }
}

internal sealed class IncidentsOptionsValidator : IValidateOptions<IncidentsOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentsOptions options)
    {
        var failures = new List<string>();
        if (options.Sections.ContainsKey(options.TimelineReaction))
        {
            failures.Add($"Incidents:SectionReactions must not map '{options.TimelineReaction}': it is Incidents:TimelineReaction.");
        }

        if (options.Sections.Values.Contains(TimelineSection.Timeline))
        {
            failures.Add("Incidents:SectionReactions maps to ContributingFactors, StabilizationSteps or CorrectiveActions; the timeline has Incidents:TimelineReaction.");
        }

        if (options.Sections.Keys.Any(emoji => emoji.Contains(':', StringComparison.Ordinal) || emoji.Length == 0))
        {
            failures.Add("Incidents:SectionReactions keys are emoji names without colons, e.g. bulb.");
        }

        if (options.Severities.Any(string.IsNullOrWhiteSpace) || options.Severities.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Severities.Count)
        {
            failures.Add("Incidents:SeverityLevels must be distinct, non-empty names, e.g. SEV1, SEV2.");
        }

        // Parsed at start: a broken template stops the app with its line and error, not a close hours later.
        if (!PostMortems.PostMortemTemplate.TryLoad(options.PostmortemTemplate, out _, out var templateError))
        {
            failures.Add(templateError!);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
