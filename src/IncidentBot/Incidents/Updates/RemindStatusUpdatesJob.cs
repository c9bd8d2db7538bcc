using System.Globalization;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents.Card;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Updates;

/// <summary>
/// A live incident whose lead has posted no status update for its severity's interval (<see cref="SeverityLevel.UpdateEveryMinutes"/>)
/// gets one reminder in its channel per interval: the interval's number, counted from the last update, is in the
/// outbox key. No severity, or a severity without an interval: no reminder (the quiet nudge asks for a severity).
/// </summary>
public sealed class RemindStatusUpdatesJob(IncidentBotDbContext db, Outbox outbox, IOptions<IncidentsOptions> options, TimeProvider time)
{
    public static string OutboxKey(int incidentId, DateTime since, long interval) =>
        string.Create(CultureInfo.InvariantCulture, $"incident/{incidentId}/update-reminder/{since:yyyy-MM-dd HH:mm:ss.FFFFFFF}/{interval}");

    [AutomaticRetry(Attempts = 0)] // It runs again in a minute anyway.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var live = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Live && i.ChannelId != null && i.Severity != null)
            .Select(i => new { Incident = i, LastUpdate = db.Set<StatusUpdate>().Where(u => u.IncidentId == i.Id).Max(u => (DateTime?)u.PostedAt) })
            .ToListAsync(cancellationToken);

        foreach (var item in live)
        {
            if (options.Value.Severity(item.Incident.Severity)?.UpdateEveryMinutes is not { } minutes)
            {
                continue;
            }

            var since = item.LastUpdate ?? item.Incident.DeclaredAt;
            var interval = (long)((now - since) / TimeSpan.FromMinutes(minutes));
            if (interval < 1)
            {
                continue;
            }

            await outbox.PostOnceAsync(OutboxKey(item.Incident.Id, since, interval), Reminder(item.Incident, now - since, minutes), cancellationToken);
        }
    }

    private static PostMessageRequest Reminder(Incident incident, TimeSpan silent, int minutes)
    {
        var text = $":mega: <@{incident.LeaderUserId}>, {incident.Reference} has had no status update for {IncidentDuration.Format(silent)} " +
                   $"({incident.Severity}: one every {minutes} min). Post one for the channel and stakeholders: the button, or `/incident update <text>`.";
        return new PostMessageRequest
        {
            Channel = incident.ChannelId!,
            Text = text,
            Blocks =
            [
                new SectionBlock(new Mrkdwn(text)),
                new ActionsBlock([new ButtonElement(new PlainText("Post update"), IncidentCardIds.PostUpdate) { Value = incident.Id.ToString(CultureInfo.InvariantCulture), Style = "primary" }]),
            ],
        };
    }
}
