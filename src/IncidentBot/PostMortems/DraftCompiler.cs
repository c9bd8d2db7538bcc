using IncidentBot.Storage;
using IncidentBot.Incidents;
using IncidentBot.People;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Builds the draft from what the incident recorded: entries in time order (lifecycle included), the sections filled
/// by emoji and commands, people by name. It runs in a job, so names not yet known are asked of Slack here; on the
/// request path (<c>askSlack: false</c>, to tell whether anything changed) it uses the names already known.
/// </summary>
public sealed class DraftCompiler(IncidentBotDbContext db, PeopleDirectory people, TimeProvider time, IOptions<IncidentsOptions> options)
{
    public async Task<PostMortemDraft> CompileAsync(int incidentId, CancellationToken cancellationToken, bool askSlack = true)
    {
        var incident = await db.Incidents.AsNoTracking().FirstAsync(i => i.Id == incidentId, cancellationToken);
        // Only what the draft shows: for a huge incident, reading the other columns (times parsed from text on SQLite,
        // kinds parsed back into enums) costs more than the texts themselves.
        var entries = await db.TimelineEntries.AsNoTracking()
            .Where(e => e.IncidentId == incidentId && !e.Removed)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new EntryRow(e.OccurredAt, e.AuthorUserId, e.Text, e.Section, e.Kind == EntryKind.Note, e.Kind == EntryKind.Lifecycle, e.Pending, e.SourceTs))
            .ToListAsync(cancellationToken);
        var roles = await db.IncidentRoles.AsNoTracking().Where(r => r.IncidentId == incidentId).ToListAsync(cancellationToken);

        var names = await NamesAsync(incident, entries, roles, askSlack, cancellationToken);
        string Name(string? userId) => userId is null ? "someone" : names.GetValueOrDefault(userId, userId);
        DraftEntry Entry(EntryRow e) => new(
            e.OccurredAt,
            Name(e.AuthorUserId),
            e.Pending ? $"(a message Slack did not return; see {e.SourceTs} in the channel)" : SlackText.ToPlain(e.Text, id => names.GetValueOrDefault(id)),
            e.IsLifecycle);
        string? Plain(string? text) => text is null ? null : SlackText.ToPlain(text, id => names.GetValueOrDefault(id));
        // Each entry is made once (a note is in the notes and on the timeline): a huge incident has thousands.
        var drafted = entries.Select(e => (Source: e, Entry: Entry(e))).ToList();
        List<DraftEntry> In(TimelineSection section, Func<EntryRow, bool>? where = null) =>
            [.. drafted.Where(d => d.Source.Section == section && (where?.Invoke(d.Source) ?? true)).Select(d => d.Entry)];

        var now = time.GetUtcNow().UtcDateTime;
        return new PostMortemDraft
        {
            IncidentId = incident.Id,
            Reference = incident.Reference,
            Title = incident.Title,
            DeclaredAt = incident.DeclaredAt,
            ResolvedAt = incident.ClosedAt ?? now,
            Leader = Name(incident.LeaderUserId),
            Roles = [.. options.Value.RoleNames.SelectMany(role => roles.Where(r => string.Equals(r.Role, role, StringComparison.OrdinalIgnoreCase)).Select(r => new DraftRole(role, Name(r.UserId))))],
            DeclaredBy = Name(incident.DeclaredByUserId),
            Severity = incident.Severity,
            ChannelName = incident.ChannelName,
            Notes = In(TimelineSection.Timeline, e => e.IsNote),
            Timeline = In(TimelineSection.Timeline),
            ContributingFactors = In(TimelineSection.ContributingFactors),
            StabilizationSteps = In(TimelineSection.StabilizationSteps),
            CorrectiveActions = In(TimelineSection.CorrectiveActions),
            Description = Plain(incident.Description),
            Impact = Plain(incident.Impact),
            Meeting = Plain(incident.Meeting),
            KeyMoments = incident.AnySetByHand() ? [.. KeyMoments.All.Select(m => KeyMoments.Of(incident, m, resolvedIfOpen: now))] : [],
        };
    }

    private Task<Dictionary<string, string>> NamesAsync(Incident incident, List<EntryRow> entries, List<IncidentRole> roles, bool askSlack, CancellationToken cancellationToken)
    {
        var ids = entries.Select(e => e.AuthorUserId)
            .Concat(entries.Select(e => e.Text).Append(incident.Description).Append(incident.Impact).Append(incident.Meeting).OfType<string>()
                .SelectMany(SlackText.MentionedUserIds))
            .Append(incident.LeaderUserId)
            .Append(incident.DeclaredByUserId)
            .Concat(roles.Select(r => r.UserId))
            .OfType<string>();
        return askSlack ? people.ResolveAsync(ids, refresh: false, cancellationToken) : people.KnownAsync(ids, cancellationToken);
    }

    /// <summary>An entry as the draft reads it.</summary>
    private sealed record EntryRow(DateTime OccurredAt, string? AuthorUserId, string Text, TimelineSection Section, bool IsNote, bool IsLifecycle, bool Pending, string? SourceTs);
}
