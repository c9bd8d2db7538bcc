using Hangfire;
using IncidentBot.Incidents;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Publishes the next version of a closed incident's draft after a change to its record (review edits, story fields),
/// for <c>/incident publish</c> and the review modal's button. Whether anything changed is decided here, from the names
/// already known, so that "nothing changed" is answered at once and nothing is posted; the job posts the version and
/// marks the previous one superseded.
/// </summary>
public sealed class RevisedDrafts(
    IncidentBotDbContext db,
    DraftCompiler compiler,
    PostMortemTemplate template,
    IBackgroundJobClient jobs,
    IOptions<PostMortemsOptions> options)
{
    /// <summary>For the channel's incident closed last (a live one is refused: its draft goes out at the close).</summary>
    public async Task<PublishOutcome> PublishInChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        if (await db.Incidents.OpenInChannelAsync(channelId, cancellationToken) is { } open)
        {
            return PublishOutcome.Refused($"{Describe(open)} is live: its draft is published when it is closed (`/incident close`).");
        }

        return await db.Incidents.LastClosedInChannelAsync(channelId, cancellationToken) is { } incident
            ? await PublishAsync(incident, cancellationToken)
            : PublishOutcome.Refused("There is no closed incident in this channel. Run it in the channel of the incident whose draft you want to publish again.");
    }

    public async Task<PublishOutcome> PublishAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.Status != IncidentStatus.Closed)
        {
            return PublishOutcome.Refused($"{Describe(incident)} is live: its draft is published when it is closed (`/incident close`).");
        }

        var latest = await db.PostMortems.LatestAsync(incident.Id, cancellationToken);
        if (latest is not { PublishedAt: not null })
        {
            return PublishOutcome.Refused($"The draft of {Describe(incident)}{(latest is null ? "" : $" (version {latest.Version})")} is still being published; it goes out on its own.");
        }

        var markdown = template.Render(await compiler.CompileAsync(incident.Id, cancellationToken, askSlack: false));
        if (markdown == latest.Markdown)
        {
            return PublishOutcome.Refused($"Nothing changed in {Describe(incident)} since version {latest.Version} of its draft, so nothing was posted.");
        }

        jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(incident.Id, CancellationToken.None));
        return new PublishOutcome(true,
            $"Publishing version {latest.Version + 1} of the draft of {Describe(incident)} in {PublishDraftWhenIncidentCloses.Mention(options.Value.PostmortemChannel)}; " +
            $"version {latest.Version} will say it is superseded.");
    }

    private static string Describe(Incident incident) => $"{incident.Reference} *{SlackText.Escape(incident.Title)}*";
}

/// <summary>Whether a new version was queued, and the words (Slack mrkdwn) that tell the person so or why not.</summary>
public sealed record PublishOutcome(bool Queued, string Message)
{
    public static PublishOutcome Refused(string why) => new(false, why);
}
