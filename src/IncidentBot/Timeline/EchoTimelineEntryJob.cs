using Hangfire;
using IncidentBot.Storage;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>
/// Posts a command's entry into the incident channel, exactly once: tagged with an idempotency key, then its ts is
/// recorded. A run that died between the two (a kill, a failed commit retried by Hangfire) left a post without its
/// ts, so every run looks for the key in the channel before posting.
/// </summary>
public sealed class EchoTimelineEntryJob(IncidentBotDbContext db, IIncidentChannels incidents, ISlackApiClient slack)
{
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

        var posted = await slack.Chat.PostMessageAsync(
            new PostMessageRequest
            {
                Channel = channel,
                Text = TimelineWriter.EchoText(entry),
                IdempotencyKey = $"entry-{entry.Id}",
                MayHaveLanded = true,
            },
            cancellationToken);
        entry.EchoTs = posted.Ts;
        entry.EchoPending = false;
        await db.SaveChangesAsync(cancellationToken);
    }
}
