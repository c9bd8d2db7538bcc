using Hangfire;
using IncidentBot.Data;
using IncidentBot.Incidents;
using IncidentBot.People;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Timeline;

/// <summary>Adds the entries people give by command (lifecycle changes, notes, factors, steps, actions) and has them echoed.</summary>
public sealed class TimelineWriter(IncidentBotDbContext db, TimeProvider time, IBackgroundJobClient jobs, PeopleDirectory people)
{
    private readonly List<TimelineEntry> _toEcho = [];

    public TimelineEntry Add(Incident incident, EntryKind kind, TimelineSection section, string authorUserId, string text, bool echo = true)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var entry = new TimelineEntry
        {
            IncidentId = incident.Id,
            Kind = kind,
            Section = section,
            OccurredAt = now,
            RecordedAt = now,
            AuthorUserId = authorUserId,
            Text = text,
            EchoPending = echo,
        };
        db.TimelineEntries.Add(entry);
        if (echo)
        {
            _toEcho.Add(entry);
        }

        return entry;
    }

    /// <summary>Commits, then queues the echoes (after the commit: an echo never announces what was not saved).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        foreach (var entry in _toEcho)
        {
            jobs.Enqueue<EchoTimelineEntryJob>(job => job.RunAsync(entry.Id, CancellationToken.None));
            await people.EnsureKnownAsync(entry.AuthorUserId, cancellationToken);
        }

        _toEcho.Clear();
    }

    /// <summary>How an entry reads when echoed into the incident channel (Slack mrkdwn; the stored text is already Slack text).</summary>
    public static string EchoText(TimelineEntry entry) => (entry.Kind, entry.Section) switch
    {
        (EntryKind.Lifecycle, _) => $":rotating_light: {entry.Text} (by <@{entry.AuthorUserId}>)",
        (_, TimelineSection.ContributingFactors) => $":bulb: Contributing factor from <@{entry.AuthorUserId}>: {entry.Text}",
        (_, TimelineSection.StabilizationSteps) => $":hammer_and_wrench: Stabilization step from <@{entry.AuthorUserId}>: {entry.Text}",
        (_, TimelineSection.CorrectiveActions) => $":white_check_mark: Corrective action from <@{entry.AuthorUserId}>: {entry.Text}",
        _ => $":memo: Note from <@{entry.AuthorUserId}>: {entry.Text}",
    };

    /// <summary>Text typed after a command arrives escaped by Slack; it is stored that way, trimmed.</summary>
    public static string FromCommand(string text) => text.Trim();
}
