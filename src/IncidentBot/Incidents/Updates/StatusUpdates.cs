using Hangfire;
using IncidentBot.Incidents.Card;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Updates;

/// <summary>
/// Records a status update (for <c>/incident update</c> and the card's form): kept, on the timeline and the card in
/// one commit; posted to the incident channel and to stakeholders by a job after it.
/// </summary>
public sealed class StatusUpdates(IncidentBotDbContext db, TimelineWriter timeline, IncidentCards cards, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Slack allows 3000 characters in a section; the card and the posts add their own words around it.</summary>
    public const int MaxLength = 2500;

    /// <summary>The problem with <paramref name="slackText"/> as an update, or null when it will do.</summary>
    public static string? Problem(string slackText) =>
        slackText.Length == 0 ? "Say what the status is, e.g. `/incident update Failing over to the replica; next update in 30 min`."
        : slackText.Length > MaxLength ? $"That update is {slackText.Length} characters; keep it under {MaxLength}."
        : null;

    public async Task<StatusUpdate> PostAsync(Incident incident, string slackText, string userId, CancellationToken cancellationToken)
    {
        var update = new StatusUpdate { IncidentId = incident.Id, Text = slackText, ByUserId = userId, PostedAt = time.GetUtcNow().UtcDateTime };
        db.StatusUpdates.Add(update);
        // The job posts the update itself in the channel, so the entry is not echoed as well.
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, $"Status update: {slackText}", echo: false);
        IncidentCards.Changed(incident);
        await timeline.SaveAsync(cancellationToken);
        jobs.Enqueue<PostStatusUpdateJob>(job => job.RunAsync(update.Id, CancellationToken.None));
        cards.Refresh(incident.Id);
        return update;
    }

    /// <summary>How an update reads where the bot posts it. User text: no @channel, no ping.</summary>
    public static string Text(Incident incident, StatusUpdate update, bool forStakeholders) =>
        $":loudspeaker: *Status update* on {incident.Reference} *{SlackText.Escape(incident.Title)}*" +
        (forStakeholders && incident.ChannelId is { } channel ? $" (<#{channel}>)" : "") +
        $" from <@{update.ByUserId}>:\n{SlackText.Disarm(update.Text)}";
}
