using System.Globalization;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// A live incident whose timeline has been quiet for <c>Incidents:NudgeAfterMinutes</c> gets one nudge per quiet
/// period (the period's start is in the nudge's outbox key), reminding the leader of a missing severity too.
/// </summary>
public sealed class NudgeQuietIncidentsJob(
    IncidentBotDbContext db, Outbox outbox, IOptions<IncidentsOptions> options, IOptions<TimelineOptions> timelineOptions, TimeProvider time)
{
    public static string OutboxKey(int incidentId, DateTime quietSince) =>
        string.Create(CultureInfo.InvariantCulture, $"incident/{incidentId}/nudge/{quietSince:yyyy-MM-dd HH:mm:ss.FFFFFFF}");

    [AutomaticRetry(Attempts = 0)] // It runs again in a minute anyway.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var quietFor = TimeSpan.FromMinutes(options.Value.NudgeAfterMinutes);
        var live = await db.Incidents
            .Where(i => i.Status == IncidentStatus.Live && i.ChannelId != null)
            .Select(i => new
            {
                Incident = i,
                LastEntry = db.Set<TimelineEntry>().Where(e => e.IncidentId == i.Id).Max(e => (DateTime?)e.RecordedAt),
            })
            .ToListAsync(cancellationToken);

        foreach (var item in live)
        {
            var quietSince = item.LastEntry is { } last && last > item.Incident.DeclaredAt ? last : item.Incident.DeclaredAt;
            if (now - quietSince < quietFor)
            {
                continue;
            }

            await outbox.PostOnceAsync(
                OutboxKey(item.Incident.Id, quietSince),
                new PostMessageRequest { Channel = item.Incident.ChannelId!, Text = Text(item.Incident, now - quietSince) },
                cancellationToken);
        }
    }

    private string Text(Incident incident, TimeSpan quiet)
    {
        var text = $":hourglass: Nothing has been added to the timeline of {incident.Reference} for {IncidentDuration.Format(quiet)}. " +
                   $"Pin what is happening with :{timelineOptions.Value.TimelineReaction}:, or `/incident note <text>`.";
        return incident.Severity is null
            ? text + $" <@{incident.LeaderUserId}>, the severity is not set yet: `/incident severity <level>` ({string.Join(", ", options.Value.SeverityNames)})."
            : text;
    }
}
