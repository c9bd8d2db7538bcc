using Hangfire;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

/// <summary>
/// Reads back a stretch of an incident channel's history the bot did not capture (the incident was closed; it is
/// live again): conversations.history, and conversations.replies for threads, from the backfill's start to its end.
/// Messages posted meanwhile are kept as if they had been captured; a section emoji added meanwhile puts its message
/// on the record, through the one writer, exactly as the reaction event would have. Idempotent: what is already
/// kept or recorded is left as it is, and everything is committed at once.
/// </summary>
public sealed partial class BackfillChannelJob(
    IncidentBotDbContext db,
    ISlackApiClient slack,
    OwnPosts ownPosts,
    TimelineWriter timeline,
    IOptions<TimelineOptions> options,
    TimeProvider time,
    ILogger<BackfillChannelJob> logger)
{
    [AutomaticRetry(Attempts = 8)]
    public async Task RunAsync(long backfillId, CancellationToken cancellationToken)
    {
        var backfill = await db.ChannelBackfills.FirstOrDefaultAsync(b => b.Id == backfillId, cancellationToken);
        if (backfill is not { DoneAt: null })
        {
            return;
        }

        var oldest = SlackTs.FromDateTimeOffset(new DateTimeOffset(backfill.From, TimeSpan.Zero)).ToString();
        var latest = SlackTs.FromDateTimeOffset(new DateTimeOffset(backfill.To, TimeSpan.Zero)).ToString();
        var messages = 0;
        var history = slack.Conversations.AllHistoryAsync(
            new HistoryRequest { Channel = backfill.ChannelId, Oldest = oldest, Latest = latest, Inclusive = true }, cancellationToken);
        await foreach (var message in history)
        {
            messages += await TakeAsync(backfill, message, cancellationToken) ? 1 : 0;
            if (message.ReplyCount is > 0)
            {
                var thread = slack.Conversations.AllRepliesAsync(
                    new RepliesRequest { Channel = backfill.ChannelId, Ts = message.Ts, Oldest = oldest, Latest = latest, Inclusive = true }, cancellationToken);
                await foreach (var reply in thread)
                {
                    if (reply.Ts != message.Ts)
                    {
                        messages += await TakeAsync(backfill, reply, cancellationToken) ? 1 : 0;
                    }
                }
            }
        }

        backfill.DoneAt = time.GetUtcNow().UtcDateTime;
        var entries = db.ChangeTracker.Entries<TimelineEntry>().Count(e => e.State == EntityState.Added);
        await timeline.SaveAsync(cancellationToken);
        Log.Done(logger, backfill.IncidentId, backfill.ChannelId, messages, entries);
    }

    /// <summary>Keeps one message if it is not kept yet, and records its section emoji; true when it was newly kept.</summary>
    private async Task<bool> TakeAsync(ChannelBackfill backfill, HistoryMessage message, CancellationToken cancellationToken)
    {
        if (!SlackTs.TryParse(message.Ts, out var ts) || await ownPosts.IsOwnAsync(message, cancellationToken))
        {
            return false;
        }

        var channel = backfill.ChannelId;
        var postedAt = ts.ToDateTimeOffset().UtcDateTime;
        var kept = await db.Messages.FindAsync([channel, message.Ts], cancellationToken);
        var isNew = false;
        if (kept is null)
        {
            kept = new CapturedMessage
            {
                ChannelId = channel,
                Ts = message.Ts,
                IncidentId = backfill.IncidentId,
                ThreadTs = message.ThreadTs,
                UserId = message.User ?? message.BotId,
                Text = message.Text ?? "",
                PostedAt = postedAt,
            };

            // Join notices, topic changes and the like are not the record; what people said is.
            if (message.Subtype is null or "thread_broadcast" or "file_share" or "bot_message" or "me_message")
            {
                db.Messages.Add(kept);
                isNew = true;
            }
        }

        foreach (var reaction in message.Reactions ?? [])
        {
            if (options.Value.SectionFor(reaction.Name) is not { } section)
            {
                continue;
            }

            foreach (var user in reaction.Users)
            {
                await timeline.MarkAsync(backfill.IncidentId, section, channel, message.Ts, postedAt, reaction.Name, user, message.User, cancellationToken, kept);
            }
        }

        return isNew;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Incident {IncidentId}: read back {Channel} after a reopen: {Messages} messages kept, {Entries} entries recorded")]
        public static partial void Done(ILogger logger, int incidentId, string channel, int messages, int entries);
    }
}
