using Hangfire;
using IncidentBot.People;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>
/// The one writer of timeline entries: those people give by command (lifecycle changes, notes, factors, steps,
/// actions), echoed into the incident channel, and those made from a marked Slack message. After the commit it
/// queues what the new entries need: their echo, the text of a message the bot never saw, the author's name.
/// </summary>
public sealed class TimelineWriter(IncidentBotDbContext db, TimeProvider time, IBackgroundJobClient jobs, PeopleDirectory people, CaptureAcknowledgements acknowledgements)
{
    private readonly List<TimelineEntry> _added = [];
    private readonly List<ChannelBackfill> _backfills = [];

    public TimelineEntry Add(int incidentId, EntryKind kind, TimelineSection section, string authorUserId, string text, bool echo = true)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Track(new TimelineEntry
        {
            IncidentId = incidentId,
            Kind = kind,
            Section = section,
            OccurredAt = now,
            RecordedAt = now,
            AuthorUserId = authorUserId,
            Text = text,
            EchoPending = echo,
        });
    }

    /// <summary>
    /// A marked message, at the message's own time. A message the bot never kept (posted before the incident) is
    /// recorded as pending, with the reaction's word for its author, and its text is fetched after the commit.
    /// </summary>
    public TimelineEntry AddMessage(int incidentId, TimelineSection section, string channelId, string ts, DateTime postedAt, CapturedMessage? message, string? itemUserId) =>
        Track(new TimelineEntry
        {
            IncidentId = incidentId,
            Kind = EntryKind.Message,
            Section = section,
            OccurredAt = postedAt,
            RecordedAt = time.GetUtcNow().UtcDateTime,
            AuthorUserId = message?.UserId ?? itemUserId,
            Text = message?.Text ?? "",
            SourceChannelId = channelId,
            SourceTs = ts,
            Pending = message is null,
        });

    /// <summary>
    /// A person's section emoji on a message: their reaction is kept, and the message is put in that section once
    /// however many people add it. The message's text is the one kept (<paramref name="message"/>, else looked up);
    /// a message never kept is recorded as pending and fetched after the commit.
    /// </summary>
    public async Task MarkAsync(
        int incidentId, TimelineSection section, string channelId, string ts, DateTime postedAt, string reaction, string userId,
        string? itemUserId, CancellationToken cancellationToken, CapturedMessage? message = null)
    {
        if (await db.EntryReactions.FindAsync([incidentId, channelId, ts, reaction, userId], cancellationToken) is null)
        {
            db.EntryReactions.Add(new EntryReaction { IncidentId = incidentId, ChannelId = channelId, MessageTs = ts, Reaction = reaction, UserId = userId });
        }

        var exists = _added.Any(e => e.IncidentId == incidentId && e.Section == section && e.SourceChannelId == channelId && e.SourceTs == ts)
                     || await db.TimelineEntries.AnyAsync(
                         e => e.IncidentId == incidentId && e.Section == section && e.SourceChannelId == channelId && e.SourceTs == ts,
                         cancellationToken);
        if (!exists)
        {
            message ??= await db.Messages.FindAsync([channelId, ts], cancellationToken);
            AddMessage(incidentId, section, channelId, ts, postedAt, message, itemUserId);
        }
    }

    /// <summary>
    /// The channel's history from <paramref name="from"/> to <paramref name="to"/> is read back from Slack after the
    /// commit (capture was off: the incident was closed): messages kept, marked ones put on the record.
    /// </summary>
    public void Backfill(int incidentId, string channelId, DateTime from, DateTime to)
    {
        var backfill = new ChannelBackfill { IncidentId = incidentId, ChannelId = channelId, From = from, To = to };
        db.ChannelBackfills.Add(backfill);
        _backfills.Add(backfill);
    }

    /// <summary>Commits, then queues the follow-up work (after the commit: an echo never announces what was not saved).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await AfterSaveAsync(cancellationToken);
    }

    /// <summary>For a caller that committed the entries itself (with its event ledger row): queues their follow-up work.</summary>
    public async Task AfterSaveAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _added.Where(e => e.Id > 0))
        {
            if (entry.EchoPending)
            {
                jobs.Enqueue<EchoTimelineEntryJob>(job => job.RunAsync(entry.Id, CancellationToken.None));
            }

            if (entry.Pending)
            {
                jobs.Enqueue<FetchReactedMessageJob>(job => job.RunAsync(entry.Id, CancellationToken.None));
            }

            if (entry is { Kind: EntryKind.Message, SourceChannelId: { } channel, SourceTs: { } ts })
            {
                await acknowledgements.RequestAsync(db, channel, ts, time.GetUtcNow().UtcDateTime, cancellationToken);
            }

            await people.EnsureKnownAsync(entry.AuthorUserId, cancellationToken);
        }

        _added.Clear();
        foreach (var backfill in _backfills.Where(b => b.Id > 0))
        {
            jobs.Enqueue<BackfillChannelJob>(job => job.RunAsync(backfill.Id, CancellationToken.None));
        }

        _backfills.Clear();
    }

    private TimelineEntry Track(TimelineEntry entry)
    {
        db.TimelineEntries.Add(entry);
        _added.Add(entry);
        return entry;
    }

    /// <summary>
    /// How an entry reads when echoed into the incident channel (Slack mrkdwn; the stored text is already Slack text).
    /// What people typed keeps its look, but disarmed (<see cref="SlackText.Disarm"/>): no group ping, no disguised link.
    /// </summary>
    public static string EchoText(TimelineEntry entry)
    {
        var text = SlackText.Disarm(entry.Text);
        return (entry.Kind, entry.Section) switch
        {
            (EntryKind.Lifecycle, _) => $":rotating_light: {text} (by <@{entry.AuthorUserId}>)",
            (_, TimelineSection.ContributingFactors) => $":bulb: Contributing factor from <@{entry.AuthorUserId}>: {text}",
            (_, TimelineSection.StabilizationSteps) => $":hammer_and_wrench: Stabilization step from <@{entry.AuthorUserId}>: {text}",
            (_, TimelineSection.CorrectiveActions) => $":white_check_mark: Corrective action from <@{entry.AuthorUserId}>: {text}",
            _ => $":memo: Note from <@{entry.AuthorUserId}>: {text}",
        };
    }

    /// <summary>Text typed after a command arrives escaped by Slack; it is stored that way, trimmed.</summary>
    public static string FromCommand(string text) => text.Trim();
}
