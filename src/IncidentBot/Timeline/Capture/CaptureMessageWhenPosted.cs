using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// Keeps every message posted in a live incident's channel, thread replies included: one small write on the
/// request path, committed before Slack gets its 200. The bot's own posts and join notices are not the record.
/// </summary>
internal sealed class CaptureMessageWhenPosted(IncidentBotDbContext db, IIncidentChannels incidents, EventLedger ledger, SlackRequestContext context) : IEventHandler<MessageEvent>
{
    public async Task HandleAsync(MessageEvent message, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || message.Hidden || message is ChannelJoin || !SlackTs.TryParse(message.Ts, out var ts))
        {
            return;
        }

        var liveIncident = await incidents.LiveIncidentInAsync(message.Channel, cancellationToken);
        if (liveIncident is not { } incidentId)
        {
            return;
        }

        // No reads first: the keys refuse a second copy. A repeated delivery conflicts on the ledger and is dropped
        // there; the same message under another event id (say, once over HTTP and once over Socket Mode while the
        // app switches) conflicts on the message's own key, and then only the event is recorded.
        db.Messages.Add(new CapturedMessage
        {
            ChannelId = message.Channel,
            Ts = message.Ts,
            IncidentId = incidentId,
            ThreadTs = message.ThreadTs,
            UserId = message.User ?? message.BotId,
            Text = message.Text ?? "",
            PostedAt = ts.ToDateTimeOffset().UtcDateTime,
        });
        try
        {
            await ledger.SaveOnceAsync(nameof(CaptureMessageWhenPosted), cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.Messages.AnyAsync(m => m.ChannelId == message.Channel && m.Ts == message.Ts, cancellationToken))
            {
                throw;
            }

            await ledger.SaveOnceAsync(nameof(CaptureMessageWhenPosted), cancellationToken);
        }
    }
}
