using IncidentBot.Data;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Events;

/// <summary>
/// Keeps every message posted in a live incident's channel, thread replies included: one small write on the
/// request path, committed before Slack gets its 200. The bot's own posts and join notices are not the record.
/// </summary>
internal sealed class CaptureMessageWhenPosted(IncidentBotDbContext db, EventLedger ledger, SlackRequestContext context) : IEventHandler<MessageEvent>
{
    public async Task HandleAsync(MessageEvent message, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || message.Hidden || message is ChannelJoin || !SlackTs.TryParse(message.Ts, out var ts))
        {
            return;
        }

        var incident = await db.Incidents.LiveInChannelAsync(message.Channel, cancellationToken);
        if (incident is null)
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
            IncidentId = incident.Id,
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
