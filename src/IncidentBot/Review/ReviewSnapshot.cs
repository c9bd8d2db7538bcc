using IncidentBot.Incidents;
using IncidentBot.People;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Review;

/// <summary>An incident's record as the review shows it: every entry in order (removed ones too), with names.</summary>
public sealed record ReviewSnapshot(Incident Incident, IReadOnlyList<ReviewedEntry> Entries, Func<string?, string> Name, Func<string, string> Plain);

/// <summary>One entry, with its text as a person reads it and the last change a reviewer made to it.</summary>
public sealed record ReviewedEntry(TimelineEntry Entry, string Text, TimelineRevision? LastChange);

public sealed class ReviewSnapshots(IncidentBotDbContext db, PeopleDirectory people)
{
    public async Task<ReviewSnapshot?> LoadAsync(int incidentId, CancellationToken cancellationToken)
    {
        if (await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken) is not { } incident)
        {
            return null;
        }

        var entries = await db.TimelineEntries.AsNoTracking()
            .Where(e => e.IncidentId == incidentId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var revisions = await db.TimelineRevisions.AsNoTracking()
            .Where(r => r.IncidentId == incidentId)
            .ToListAsync(cancellationToken);
        var last = revisions.GroupBy(r => r.EntryId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);

        var ids = entries.Select(e => e.AuthorUserId)
            .Concat(revisions.Select(r => r.ByUserId))
            .Concat(entries.SelectMany(e => SlackText.Entities(e.Text)).Where(x => x.Sigil == "@").Select(x => x.Id))
            .Append(incident.LeaderUserId)
            .OfType<string>();
        var names = await people.KnownAsync(ids, cancellationToken);
        string Plain(string slackText) => SlackText.ToPlain(slackText, id => names.GetValueOrDefault(id));
        string Name(string? userId) => userId is null ? "someone" : names.GetValueOrDefault(userId, userId);
        return new ReviewSnapshot(
            incident,
            [.. entries.Select(e => new ReviewedEntry(e, Plain(e.Text), last.GetValueOrDefault(e.Id)))],
            Name,
            Plain);
    }
}
