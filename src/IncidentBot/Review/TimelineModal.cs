using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Review;

/// <summary>
/// The review modal: the incident's story at a glance, then every entry in order (UTC time, author, section, text) with
/// Edit and Remove, or Restore for a removed one. Long timelines are paged so that a page stays within Slack's
/// 100 blocks a modal; the Previous and Next buttons page with views.update.
/// </summary>
public static class TimelineModal
{
    /// <summary>Two blocks an entry (its text, its buttons); the rest of the 100 is the head and the paging.</summary>
    public const int EntriesPerPage = 40;

    private const int MaxEntryText = 2400;

    public static ModalView Build(ReviewSnapshot snapshot, int page, bool mayChange, string? who, string? notice)
    {
        var incident = snapshot.Incident;
        var pages = Math.Max(1, (snapshot.Entries.Count + EntriesPerPage - 1) / EntriesPerPage);
        page = Math.Clamp(page, 0, pages - 1);
        var removed = snapshot.Entries.Count(e => e.Entry.Removed);
        var blocks = new List<Block>
        {
            new HeaderBlock(new PlainText(SlackText.Shorten($"{incident.Reference} {incident.Title}", HeaderBlock.MaxTextLength))),
            new ContextBlock([new Mrkdwn(
                $"{(incident.Status == IncidentStatus.Closed ? "Closed" : "Live")} · {snapshot.Entries.Count} entries" +
                (removed > 0 ? $" ({removed} removed from the draft)" : "") + " · times in UTC" +
                (mayChange ? "" : $"\nOnly {who} may change this record; you can read it."))]),
        };
        if (notice is not null)
        {
            blocks.Add(new SectionBlock(new Mrkdwn(SlackText.Shorten(notice, SectionBlock.MaxTextLength))) { BlockId = "review-notice" });
        }

        blocks.Add(new SectionBlock(new Mrkdwn(Story(snapshot))) { BlockId = "review-story" });
        if (mayChange)
        {
            List<ButtonElement> tools =
            [
                new(new PlainText("Add entry"), ReviewIds.Add) { Value = "add" },
                new(new PlainText("Story and key moments"), ReviewIds.Story) { Value = "story" },
            ];
            if (incident.Status == IncidentStatus.Closed)
            {
                tools.Add(new ButtonElement(new PlainText("Publish revised draft"), ReviewIds.Publish) { Value = "publish", Style = "primary" });
            }

            blocks.Add(new ActionsBlock(tools) { BlockId = "review-tools" });
        }

        blocks.Add(new DividerBlock());
        foreach (var entry in snapshot.Entries.Skip(page * EntriesPerPage).Take(EntriesPerPage))
        {
            blocks.Add(new SectionBlock(new Mrkdwn(Describe(entry, snapshot))) { BlockId = $"entry-{entry.Entry.Id}" });
            if (mayChange)
            {
                var value = entry.Entry.Id.ToString(CultureInfo.InvariantCulture);
                blocks.Add(new ActionsBlock(entry.Entry.Removed
                    ? [new ButtonElement(new PlainText("Restore"), ReviewIds.Restore) { Value = value, Style = "primary" }]
                    : [new ButtonElement(new PlainText("Edit"), ReviewIds.Edit) { Value = value }, new ButtonElement(new PlainText("Remove"), ReviewIds.Remove) { Value = value, Style = "danger" }])
                {
                    BlockId = $"entry-{entry.Entry.Id}-actions",
                });
            }
        }

        if (snapshot.Entries.Count == 0)
        {
            blocks.Add(new SectionBlock(new Mrkdwn("_Nothing is on the timeline yet._")) { BlockId = "entry-none" });
        }

        if (pages > 1)
        {
            List<ButtonElement> paging = [];
            if (page > 0)
            {
                paging.Add(new ButtonElement(new PlainText("Previous"), ReviewIds.Page) { Value = (page - 1).ToString(CultureInfo.InvariantCulture) });
            }

            if (page < pages - 1)
            {
                paging.Add(new ButtonElement(new PlainText("Next"), ReviewIds.Page) { Value = (page + 1).ToString(CultureInfo.InvariantCulture) });
            }

            blocks.Add(new ContextBlock([new PlainText($"Page {page + 1} of {pages}")]) { BlockId = "review-page" });
            blocks.Add(new ActionsBlock(paging) { BlockId = "review-paging" });
        }

        return new ModalView(new PlainText("Review timeline"), blocks)
        {
            CallbackId = ReviewIds.TimelineView,
            PrivateMetadata = new ReviewMetadata(incident.Id, page).ToString(),
            Close = new PlainText("Done"),
        };
    }

    /// <summary>Description, Impact and Meeting as set (or that the draft shows a prompt), and the key moments with their source.</summary>
    private static string Story(ReviewSnapshot snapshot)
    {
        var incident = snapshot.Incident;
        string Field(string name, string? value) =>
            $"*{name}:* {(value is null ? "_not set: the draft shows a prompt_" : Escaped(snapshot.Plain(value), 300))}";
        var moments = string.Join(" · ", KeyMoments.All.Select(m => KeyMoments.Of(incident, m, resolvedIfOpen: null)).Select(v =>
            $"{KeyMoments.Word(v.Moment)} {(v.At is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "–")} ({v.Source})"));
        return string.Join('\n', Field("Description", incident.Description), Field("Impact", incident.Impact), Field("Meeting", incident.Meeting), $"*Key moments:* {moments}");
    }

    private static string Describe(ReviewedEntry reviewed, ReviewSnapshot snapshot)
    {
        var entry = reviewed.Entry;
        var head = $"`{entry.OccurredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}` · *{SlackText.Escape(snapshot.Name(entry.AuthorUserId))}* · {SectionNames.Of(entry.Section)}";
        var text = entry.Pending ? "_(a message Slack has not returned yet)_" : Escaped(reviewed.Text, MaxEntryText);
        var lines = new List<string> { head, text.Length == 0 ? "_(no text)_" : text };
        if (reviewed.LastChange is { } change)
        {
            var by = $"{SlackText.Escape(snapshot.Name(change.ByUserId))}, {change.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
            lines.Add(change.Change switch
            {
                RevisionChange.Removed => $":wastebasket: _Removed from the draft by {by}_",
                RevisionChange.Added => $"_Added in review by {by}_",
                RevisionChange.Restored => $"_Restored by {by}_",
                _ => $"_Edited by {by}_",
            });
        }

        if (entry.OriginalText is { } original)
        {
            lines.Add($"_First recorded as:_ {Escaped(snapshot.Plain(original), 200)}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>Plain text escaped for mrkdwn in at most <paramref name="max"/> characters, never cut inside an escape.</summary>
    internal static string Escaped(string plain, int max)
    {
        var length = Math.Min(plain.Length, max);
        var escaped = SlackText.Escape(SlackText.Shorten(plain, length));
        while (escaped.Length > max)
        {
            length = Math.Max(1, length * max / escaped.Length - 1);
            escaped = SlackText.Escape(SlackText.Shorten(plain, length));
        }

        return escaped;
    }

}
