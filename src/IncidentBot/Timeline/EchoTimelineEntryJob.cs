using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>Posts a command's entry into the incident channel, once (through the outbox), so responders see it.</summary>
public sealed class EchoTimelineEntryJob(IncidentBotDbContext db, IIncidentChannels incidents, Outbox outbox)
{
    public static string OutboxKey(long entryId) => $"timeline/{entryId}/echo";

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long entryId, CancellationToken cancellationToken)
    {
        var entry = await db.TimelineEntries.FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is not { EchoPending: true })
        {
            return;
        }

        var channel = await incidents.ChannelOfAsync(entry.IncidentId, cancellationToken);
        if (channel is null)
        {
            return;
        }

        await outbox.PostOnceAsync(OutboxKey(entry.Id), new PostMessageRequest { Channel = channel, Text = TimelineWriter.EchoText(entry) }, cancellationToken);
        entry.EchoPending = false;
        await db.SaveChangesAsync(cancellationToken);
    }
}
