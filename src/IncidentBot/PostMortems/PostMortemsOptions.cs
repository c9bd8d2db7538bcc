using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Where and how drafts are published. Its keys live in the <c>Incidents</c> section, as they always have
/// (deployments set <c>Incidents:PostmortemChannel</c>); the PostMortems capability owns them.
/// </summary>
public sealed class PostMortemsOptions
{
    public const string Section = "Incidents";

    /// <summary>The channel (an id such as C0123ABCD, or a name) where post-mortem drafts are posted.</summary>
    [Required(ErrorMessage = "Incidents:PostmortemChannel is not set. Set it in appsettings.json or the environment variable Incidents__PostmortemChannel to the channel id (e.g. C0123ABCD) for post-mortem drafts.")]
    public string PostmortemChannel { get; set; } = "";

    /// <summary>A Liquid template file for the Markdown draft; empty means the one shipped in the app.</summary>
    public string? PostmortemTemplate { get; set; }

    /// <summary>Also publish the draft as a Slack canvas (a tab of the incident channel).</summary>
    public bool PostmortemCanvas { get; set; }
}

internal sealed class PostMortemsOptionsValidator : IValidateOptions<PostMortemsOptions>
{
    // The team's own template is parsed at start: a broken one stops the app with its line and error, not a close
    // hours later. The shipped one is parsed when first used (its tests parse it at every build), so a bot that has
    // closed nothing yet never loads the Liquid parser (issue 14's start-up time and idle memory).
    public ValidateOptionsResult Validate(string? name, PostMortemsOptions options) =>
        string.IsNullOrWhiteSpace(options.PostmortemTemplate) || PostMortemTemplate.TryLoad(options.PostmortemTemplate, out _, out var templateError)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(templateError!);
}
