using IncidentBot.People;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Timeline;

/// <summary>
/// A reviewer's corrections to an incident's timeline: edit an entry's text, time or section, remove it from the draft,
/// restore it, add one that was only said on a call. Nothing is deleted: each change is a <see cref="TimelineRevision"/>
/// with the entry before and after, and the first text recorded stays in <see cref="TimelineEntry.OriginalText"/>.
/// </summary>
public sealed class TimelineReview(IncidentBotDbContext db, TimeProvider time, PeopleDirectory people)
{
    public async Task<ReviewOutcome> EditAsync(int incidentId, long entryId, string userId, EntryChange change, CancellationToken cancellationToken)
    {
        if (await FindAsync(incidentId, entryId, cancellationToken) is not { } entry)
        {
            return ReviewOutcome.Refused("That entry is no longer on this incident's timeline.");
        }

        if (entry.Removed)
        {
            return ReviewOutcome.Refused("That entry was removed; restore it before editing it.");
        }

        var text = change.Text ?? entry.Text;
        var occurredAt = change.OccurredAt ?? entry.OccurredAt;
        var section = change.Section ?? entry.Section;
        if (text == entry.Text && occurredAt == entry.OccurredAt && section == entry.Section)
        {
            return ReviewOutcome.Unchanged("Nothing was changed: the entry already says that.");
        }

        if (Future(occurredAt) is { } future)
        {
            return future;
        }

        if (section != entry.Section && entry.SourceTs is not null
            && await db.TimelineEntries.AnyAsync(e => e.IncidentId == incidentId && e.Section == section && e.SourceChannelId == entry.SourceChannelId && e.SourceTs == entry.SourceTs, cancellationToken))
        {
            return ReviewOutcome.Refused($"That message is already in {SectionNames.Of(section)}; remove one of the two instead.", ReviewField.Section);
        }

        var revision = Revision(entry, RevisionChange.Edited, userId);
        if (text != entry.Text)
        {
            entry.OriginalText ??= entry.Text;
            entry.Text = text;
            // The reviewer's text is the record now: a message Slack never returned is no longer fetched over it.
            entry.Pending = false;
        }

        entry.OccurredAt = occurredAt;
        entry.Section = section;
        return await SaveAsync(entry, revision, userId, cancellationToken);
    }

    public Task<ReviewOutcome> RemoveAsync(int incidentId, long entryId, string userId, CancellationToken cancellationToken) =>
        SetRemovedAsync(incidentId, entryId, userId, removed: true, cancellationToken);

    public Task<ReviewOutcome> RestoreAsync(int incidentId, long entryId, string userId, CancellationToken cancellationToken) =>
        SetRemovedAsync(incidentId, entryId, userId, removed: false, cancellationToken);

    /// <summary>An entry for what the record missed (said on a call), at the time the reviewer gives.</summary>
    public async Task<ReviewOutcome> AddAsync(int incidentId, string userId, string text, DateTime occurredAt, TimelineSection section, CancellationToken cancellationToken)
    {
        if (Future(occurredAt) is { } future)
        {
            return future;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = db.TimelineEntries.Add(new TimelineEntry
        {
            IncidentId = incidentId,
            Kind = EntryKind.Added,
            Section = section,
            OccurredAt = occurredAt,
            RecordedAt = now,
            AuthorUserId = userId,
            Text = text,
            ReviewedAt = now,
        }).Entity;
        var revision = new TimelineRevision
        {
            IncidentId = incidentId,
            Change = RevisionChange.Added,
            ByUserId = userId,
            At = now,
        };
        return await SaveAsync(entry, revision, userId, cancellationToken);
    }

    private async Task<ReviewOutcome> SetRemovedAsync(int incidentId, long entryId, string userId, bool removed, CancellationToken cancellationToken)
    {
        if (await FindAsync(incidentId, entryId, cancellationToken) is not { } entry)
        {
            return ReviewOutcome.Refused("That entry is no longer on this incident's timeline.");
        }

        if (entry.Removed == removed)
        {
            return ReviewOutcome.Unchanged(removed ? "That entry was already removed." : "That entry is already in the draft.");
        }

        var revision = Revision(entry, removed ? RevisionChange.Removed : RevisionChange.Restored, userId);
        entry.Removed = removed;
        return await SaveAsync(entry, revision, userId, cancellationToken);
    }

    private async Task<ReviewOutcome> SaveAsync(TimelineEntry entry, TimelineRevision revision, string userId, CancellationToken cancellationToken)
    {
        entry.ReviewedAt = revision.At;
        revision.AfterText = entry.Text;
        revision.AfterOccurredAt = entry.OccurredAt;
        revision.AfterSection = entry.Section;
        db.TimelineRevisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        if (revision.EntryId == 0)
        {
            revision.EntryId = entry.Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        await people.EnsureKnownAsync(userId, cancellationToken);
        return ReviewOutcome.Done(entry);
    }

    private TimelineRevision Revision(TimelineEntry entry, RevisionChange change, string userId) => new()
    {
        IncidentId = entry.IncidentId,
        EntryId = entry.Id,
        Change = change,
        ByUserId = userId,
        At = time.GetUtcNow().UtcDateTime,
        BeforeText = entry.Text,
        BeforeOccurredAt = entry.OccurredAt,
        BeforeSection = entry.Section,
    };

    private ReviewOutcome? Future(DateTime occurredAt)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return occurredAt > now
            ? ReviewOutcome.Refused($"{occurredAt:yyyy-MM-dd HH:mm} UTC is in the future (it is {now:yyyy-MM-dd HH:mm} UTC now): an entry records what happened.", ReviewField.Time)
            : null;
    }

    private Task<TimelineEntry?> FindAsync(int incidentId, long entryId, CancellationToken cancellationToken) =>
        db.TimelineEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.IncidentId == incidentId, cancellationToken);
}

/// <summary>What a reviewer's change to the timeline changed: the entry on success, else why not.</summary>
public sealed record EntryChange(string? Text, DateTime? OccurredAt, TimelineSection? Section);

/// <summary>A refusal is a mistake to show the reviewer; an unchanged outcome only says there was nothing to do.</summary>
public sealed record ReviewOutcome(bool Changed, bool IsRefusal, string? Message, TimelineEntry? Entry, ReviewField? Field = null)
{
    public static ReviewOutcome Done(TimelineEntry entry) => new(true, false, null, entry);

    public static ReviewOutcome Refused(string why, ReviewField? field = null) => new(false, true, why, null, field);

    public static ReviewOutcome Unchanged(string why) => new(false, false, why, null);
}

/// <summary>Which part of a change a refusal is about, so a form can show it under that field.</summary>
public enum ReviewField
{
    Text,
    Time,
    Section,
}

/// <summary>The sections as the draft names them.</summary>
public static class SectionNames
{
    public static string Of(TimelineSection section) => section switch
    {
        TimelineSection.ContributingFactors => "Contributing Factor(s)",
        TimelineSection.StabilizationSteps => "Stabilization Steps",
        TimelineSection.CorrectiveActions => "Corrective Actions",
        _ => "Timeline",
    };
}
