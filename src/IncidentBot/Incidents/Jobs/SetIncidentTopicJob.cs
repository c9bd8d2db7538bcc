using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// After a close or a reopen, the incident's own channel says so in its topic: once per change (the change's timeline
/// entry is in the outbox key), and as the incident is when the job runs, so a close overtaken by a reopen says live.
/// A channel the incident only borrowed (<c>Incidents:CreateChannel=false</c>) keeps the topic its people gave it.
/// </summary>
public sealed partial class SetIncidentTopicJob(IncidentBotDbContext db, Outbox outbox, ISlackApiClient slack, ILogger<SetIncidentTopicJob> logger)
{
    public static string OutboxKey(int incidentId, long changeEntryId) => $"incident/{incidentId}/topic/{changeEntryId}";

    /// <summary>Queues the topic for a committed close or reopen (<paramref name="change"/> its lifecycle entry).</summary>
    public static void AfterChange(IBackgroundJobClient jobs, Incident incident, TimelineEntry change)
    {
        if (incident.HasDedicatedChannel)
        {
            jobs.Enqueue<SetIncidentTopicJob>(job => job.RunAsync(incident.Id, change.Id, CancellationToken.None));
        }
    }

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(int incidentId, long changeEntryId, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is not { HasDedicatedChannel: true, ChannelId: { } channel })
        {
            return;
        }

        var topic = incident.Status switch
        {
            IncidentStatus.Closed => IncidentTopic.Closed(incident),
            IncidentStatus.Live => IncidentTopic.Live(incident),
            _ => null,
        };
        if (topic is null)
        {
            return;
        }

        await outbox.OnceAsync(OutboxKey(incidentId, changeEntryId), async (_, ct) =>
        {
            try
            {
                await slack.Conversations.SetTopicAsync(new SetTopicRequest { Channel = channel, Topic = topic }, ct);
            }
            catch (SlackApiException refused) when (!SlackFailures.IsTransient(refused))
            {
                // An archived or vanished channel has no topic to keep current; asking again changes nothing.
                Log.Refused(logger, incidentId, channel, refused.ErrorCode);
            }

            return new OutboxResult(channel, null);
        }, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Incident {IncidentId}: Slack refused the topic of {Channel} ({ErrorCode})")]
        public static partial void Refused(ILogger logger, int incidentId, string channel, string errorCode);
    }
}
