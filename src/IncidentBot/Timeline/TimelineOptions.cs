using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

/// <summary>
/// Which reactions put a message on the record. Its keys live in the <c>Incidents</c> section, as they always have
/// (deployments set <c>Incidents:TimelineReaction</c>); the Timeline capability owns them.
/// </summary>
public sealed class TimelineOptions
{
    public const string Section = "Incidents";

    public static readonly IReadOnlyDictionary<string, TimelineSection> DefaultSectionReactions = new Dictionary<string, TimelineSection>
    {
        ["bulb"] = TimelineSection.ContributingFactors,
        ["hammer_and_wrench"] = TimelineSection.StabilizationSteps,
        ["white_check_mark"] = TimelineSection.CorrectiveActions,
    };

    /// <summary>The emoji (name without colons) that puts a message on the timeline.</summary>
    [RegularExpression("^[a-z0-9_+'-]+$", ErrorMessage = "Incidents:TimelineReaction must be an emoji name without colons, e.g. pushpin.")]
    public string TimelineReaction { get; set; } = "pushpin";

    /// <summary>
    /// The bot's own reaction on a message it put on the record, so people see it was captured; empty: none.
    /// </summary>
    [RegularExpression("^([a-z0-9_+'-]+)?$", ErrorMessage = "Incidents:CaptureReaction must be an emoji name without colons, e.g. eyes, or empty for none.")]
    public string CaptureReaction { get; set; } = "eyes";

    /// <summary>Emoji → draft section. When configured, replaces the defaults (a merged map could not drop one).</summary>
    public Dictionary<string, TimelineSection>? SectionReactions { get; set; }

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

internal sealed class TimelineOptionsValidator : IValidateOptions<TimelineOptions>
{
    public ValidateOptionsResult Validate(string? name, TimelineOptions options)
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

        if (options.CaptureReaction.Length > 0 && (options.CaptureReaction == options.TimelineReaction || options.Sections.ContainsKey(options.CaptureReaction)))
        {
            failures.Add($"Incidents:CaptureReaction must not be '{options.CaptureReaction}': that emoji puts messages on the record, so the bot's own acknowledgement would read as a mark.");
        }

        if (options.Sections.Keys.Any(emoji => emoji.Contains(':', StringComparison.Ordinal) || emoji.Length == 0))
        {
            failures.Add("Incidents:SectionReactions keys are emoji names without colons, e.g. bulb.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
