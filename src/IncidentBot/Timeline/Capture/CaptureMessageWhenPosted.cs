using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// Keeps every message posted in a live incident's channel, thread replies included: one small write on the
/// request path, committed before Slack gets its 200. The bot's own posts and join notices are not the record.
/// </summary>
internal sealed class CaptureMessageWhenPosted(
    IIncidentChannels incidents, EventLedger ledger, SlackRequestContext context, DatabaseLocation database, MessageCaptureBatch batch, TimeProvider time)
    : IEventHandler<MessageEvent>
{
    public async Task HandleAsync(MessageEvent message, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || message.Hidden || message is ChannelJoin || !SlackTs.TryParse(message.Ts, out var ts))
        {
            return;
        }

        if (database.IsPostgreSql)
        {
            // With the concurrent requests' messages in one statement, which itself finds the live incident (one
            // round trip for a burst, where a lookup and a transaction each took four).
            await batch.CaptureAsync(
                new MessageCaptureBatch.Message(context.EventId, nameof(CaptureMessageWhenPosted), time.GetUtcNow().UtcDateTime, message.Channel, message.Ts,
                    message.ThreadTs, message.User ?? message.BotId, message.Text ?? "", ts.ToDateTimeOffset().UtcDateTime),
                cancellationToken);
            return;
        }

        var liveIncident = await incidents.LiveIncidentInAsync(message.Channel, cancellationToken);
        if (liveIncident is not { } incidentId)
        {
            return;
        }

        // No reads first: the keys refuse a second copy. A repeated delivery conflicts on the ledger and writes nothing;
        // the same message under another event id (say, once over HTTP and once over Socket Mode while the app
        // switches) conflicts on the message's own key, and then only the event is recorded. Committed with the
        // concurrent requests' rows in one transaction, before this returns (and Slack gets its 200).
        var row = new CapturedMessage
        {
            ChannelId = message.Channel,
            Ts = message.Ts,
            IncidentId = incidentId,
            ThreadTs = message.ThreadTs,
            UserId = message.User ?? message.BotId,
            Text = message.Text ?? "",
            PostedAt = ts.ToDateTimeOffset().UtcDateTime,
        };
        await ledger.CommitOnceAsync(nameof(CaptureMessageWhenPosted), transaction => InsertAsync(transaction, row), cancellationToken);
    }

    private static async Task<bool> InsertAsync(GroupTransaction transaction, CapturedMessage row)
    {
        var command = transaction.Command("""
            INSERT INTO "Messages" ("ChannelId", "Ts", "IncidentId", "ThreadTs", "UserId", "Text", "PostedAt")
            VALUES (@channelId, @ts, @incidentId, @threadTs, @userId, @text, @postedAt) ON CONFLICT DO NOTHING
            """);
        command.AddParameter("@channelId", row.ChannelId).AddParameter("@ts", row.Ts).AddParameter("@incidentId", row.IncidentId)
            .AddParameter("@threadTs", row.ThreadTs).AddParameter("@userId", row.UserId).AddParameter("@text", row.Text).AddParameter("@postedAt", row.PostedAt);
        return await command.ExecuteNonQueryAsync() == 1;
    }
}
