using Hangfire;
using IncidentBot.Storage;
using IncidentBot.People;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>
/// Fills in an entry whose message the bot never kept (posted before the incident or before the bot joined):
/// conversations.history for a channel message, conversations.replies for a thread reply.
/// </summary>
public sealed partial class FetchReactedMessageJob(IncidentBotDbContext db, ISlackApiClient slack, PeopleDirectory people, ILogger<FetchReactedMessageJob> logger)
{
    [AutomaticRetry(Attempts = 8)]
    public async Task RunAsync(long entryId, CancellationToken cancellationToken)
    {
        var entry = await db.TimelineEntries.FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is not { Pending: true, SourceChannelId: { } channel, SourceTs: { } ts })
        {
            return;
        }

        var message = await FindAsync(channel, ts, cancellationToken);
        if (message is null && entry.ReviewedAt is null)
        {
            // Deleted before we could read it: like a deleted message, it leaves the record.
            Log.Gone(logger, entryId, channel, ts);
            db.TimelineEntries.Remove(entry);
        }
        else if (message is not null)
        {
            entry.Text = message.Text ?? "";
            entry.AuthorUserId = message.User ?? message.BotId ?? entry.AuthorUserId;
            entry.Pending = false;
        }

        await db.SaveChangesAsync(cancellationToken);
        await people.EnsureKnownAsync(entry.AuthorUserId, cancellationToken);
    }

    private async Task<HistoryMessage?> FindAsync(string channel, string ts, CancellationToken cancellationToken)
    {
        var history = await slack.Conversations.HistoryAsync(
            new HistoryRequest { Channel = channel, Latest = ts, Inclusive = true, Limit = 1 }, cancellationToken);
        if (history.Messages.FirstOrDefault(m => m.Ts == ts) is { } found)
        {
            return found;
        }

        // Not a top-level message: history has no thread replies, replies finds it from its own ts.
        try
        {
            var thread = await slack.Conversations.RepliesAsync(new RepliesRequest { Channel = channel, Ts = ts, Limit = 1000 }, cancellationToken);
            return thread.Messages.FirstOrDefault(m => m.Ts == ts);
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "thread_not_found" or "message_not_found")
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Entry {EntryId}: message {Channel}/{Ts} no longer exists; entry removed")]
        public static partial void Gone(ILogger logger, long entryId, string channel, string ts);
    }
}
