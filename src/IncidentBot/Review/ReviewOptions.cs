using IncidentBot.People;
using Microsoft.Extensions.Options;

namespace IncidentBot.Review;

/// <summary>Who may change an incident's record in review: the Review capability's part of the <c>Incidents</c> section.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Incidents";

    /// <summary>
    /// Slack user ids (<c>U…</c>, <c>W…</c>) and user group ids (<c>S…</c>) who may change entries. Empty: anyone in
    /// the incident's channel may.
    /// </summary>
    public List<string> Reviewers { get; set; } = [];
}

internal sealed class ReviewOptionsValidator : IValidateOptions<ReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewOptions options) =>
        SlackIds.FirstNotPersonOrGroup(options.Reviewers) is { } bad
            ? ValidateOptionsResult.Fail($"Incidents:Reviewers holds '{bad}', which is not a Slack user id (U…, W…) or user group id (S…).")
            : ValidateOptionsResult.Success;
}
