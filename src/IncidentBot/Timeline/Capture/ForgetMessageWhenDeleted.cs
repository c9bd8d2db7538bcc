using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline.Capture;

/// <summary>A deleted message leaves the record, and so do the entries made from it and their reactions.</summary>
internal sealed class ForgetMessageWhenDeleted(IncidentBotDbContext db, EventLedger ledger) : IEventHandler<MessageDeleted>
{
    public async Task HandleAsync(MessageDeleted deleted, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(deleted.DeletedTs) || await ledger.AlreadyHandledAsync(nameof(ForgetMessageWhenDeleted), cancellationToken))
        {
            return;
        }

        var message = await db.Messages.FindAsync([deleted.Channel, deleted.DeletedTs], cancellationToken);
        var entries = await db.TimelineEntries
            .Where(e => e.SourceChannelId == deleted.Channel && e.SourceTs == deleted.DeletedTs)
            .ToListAsync(cancellationToken);
        var reactions = await db.EntryReactions
            .Where(r => r.ChannelId == deleted.Channel && r.MessageTs == deleted.DeletedTs)
            .ToListAsync(cancellationToken);
        if (message is null && entries.Count == 0 && reactions.Count == 0)
        {
            return;
        }

        if (message is not null)
        {
            db.Messages.Remove(message);
        }

        // An entry a reviewer corrected holds its own text and stays on the record; the rest go with the message.
        db.TimelineEntries.RemoveRange(entries.Where(e => e.ReviewedAt is null));
        db.EntryReactions.RemoveRange(reactions);
        await ledger.SaveOnceAsync(nameof(ForgetMessageWhenDeleted), cancellationToken);
    }
}
