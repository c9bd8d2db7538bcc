using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline.Capture;

/// <summary>An edit updates the kept message and every entry made from it: the draft shows what was finally said.</summary>
internal sealed class FollowMessageWhenEdited(IncidentBotDbContext db, EventLedger ledger, TimeProvider time) : IEventHandler<MessageChanged>
{
    public async Task HandleAsync(MessageChanged changed, CancellationToken cancellationToken)
    {
        if (changed.Message is not { } edited || string.IsNullOrEmpty(edited.Ts)
            || await ledger.AlreadyHandledAsync(nameof(FollowMessageWhenEdited), cancellationToken))
        {
            return;
        }

        var text = edited.Text ?? "";
        var message = await db.Messages.FindAsync([changed.Channel, edited.Ts], cancellationToken);
        var entries = await db.TimelineEntries
            .Where(e => e.SourceChannelId == changed.Channel && e.SourceTs == edited.Ts)
            .ToListAsync(cancellationToken);
        if (message is null && entries.Count == 0)
        {
            return;
        }

        if (message is not null)
        {
            message.Text = text;
            message.EditedAt = time.GetUtcNow().UtcDateTime;
        }

        // A reviewer's correction is the record: a later edit in Slack does not undo it.
        foreach (var entry in entries.Where(e => !e.Pending && e.ReviewedAt is null))
        {
            entry.Text = text;
        }

        await ledger.SaveOnceAsync(nameof(FollowMessageWhenEdited), cancellationToken);
    }
}
