using System.Globalization;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Review;

/// <summary>
/// The form pushed over the review modal to edit an entry (text, UTC date and time, section) or to add one, and the
/// reading of its submission into a change, or into the errors Slack shows under the inputs.
/// </summary>
public static class EntryForm
{
    public const string TextBlock = "entry-text";
    public const string DateBlock = "entry-date";
    public const string TimeBlock = "entry-time";
    public const string SectionBlock = "entry-section";
    public const string TextAction = "text";
    public const string DateAction = "date";
    public const string TimeAction = "time";
    public const string SectionAction = "section";

    private static readonly IReadOnlyList<TimelineSection> Sections = Enum.GetValues<TimelineSection>();

    /// <summary>Editing <paramref name="entry"/>, or adding one at <paramref name="now"/> when it is null.</summary>
    public static ModalView Build(ReviewMetadata metadata, ReviewedEntry? entry, DateTime now, Func<string?, string> name)
    {
        var blocks = new List<Block>();
        var at = entry?.Entry.OccurredAt ?? now;
        if (entry is not null)
        {
            var source = entry.Entry.Kind == EntryKind.Message ? "a marked message" : entry.Entry.Kind == EntryKind.Added ? "an entry added in review" : "a command";
            blocks.Add(new ContextBlock([new Mrkdwn(
                $"From {source} by *{SlackText.Escape(name(entry.Entry.AuthorUserId))}*, recorded {entry.Entry.RecordedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. " +
                "The change is kept with who made it and what the entry said before.")]));
        }

        if (entry is null || entry.Text.Length <= PlainTextInput.MaxLength)
        {
            blocks.Add(new InputBlock(new PlainText("Text"), new PlainTextInput(TextAction)
            {
                Multiline = true,
                InitialValue = entry?.Text is { Length: > 0 } text ? text : null,
                MaxLengthLimit = PlainTextInput.MaxLength,
            })
            { BlockId = TextBlock });
        }
        else
        {
            blocks.Add(new ContextBlock([new PlainText($"Its text is {entry.Text.Length} characters, longer than Slack lets a form hold ({PlainTextInput.MaxLength}): change its time or section here, or remove it.")]));
        }

        blocks.Add(new InputBlock(new PlainText("Date (UTC)"), new DatePicker(DateAction) { InitialDate = at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }) { BlockId = DateBlock });
        blocks.Add(new InputBlock(new PlainText("Time (UTC)"), new TimePicker(TimeAction) { InitialTime = at.ToString("HH:mm", CultureInfo.InvariantCulture), Timezone = "UTC" })
        {
            BlockId = TimeBlock,
            Hint = entry is null ? null : new PlainText($"The entry is at {at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}; its seconds stay unless you change the time."),
        });
        var options = Sections.Select(s => new SelectOption(new PlainText(SectionNames.Of(s)), s.ToString())).ToList();
        var current = entry?.Entry.Section ?? TimelineSection.Timeline;
        blocks.Add(new InputBlock(new PlainText("Section"), new StaticSelect(SectionAction, options) { InitialOption = options[Sections.ToList().IndexOf(current)] }) { BlockId = SectionBlock });

        return new ModalView(new PlainText(entry is null ? "Add entry" : "Edit entry"), blocks)
        {
            CallbackId = ReviewIds.EntryForm,
            PrivateMetadata = metadata.ToString(),
            Submit = new PlainText(entry is null ? "Add" : "Save"),
            Close = new PlainText("Back"),
        };
    }

    /// <summary>
    /// The change the reviewer asked for: a field equal to what the form showed is left as it is (so text whose mentions
    /// were shown as names keeps its mentions), and a time whose minute did not change keeps its seconds.
    /// </summary>
    public static EntryFormValues Read(ViewState? state, ReviewedEntry? entry)
    {
        var errors = new Dictionary<string, string>();
        var typed = state?.Get(TextBlock, TextAction)?.Value?.Trim();
        string? text = null;
        if (state?.Get(TextBlock, TextAction) is not null || entry is null)
        {
            if (string.IsNullOrEmpty(typed))
            {
                errors[TextBlock] = entry is null ? "Say what happened." : "An entry needs text; to take it out of the draft, use Remove instead.";
            }
            else if (entry is null || typed != entry.Text.Trim())
            {
                // Typed in a form: plain text, escaped here into the Slack text entries are kept in.
                text = SlackText.Escape(typed);
            }
        }

        DateTime? occurredAt = null;
        var date = state?.Get(DateBlock, DateAction)?.SelectedDate;
        var time = state?.Get(TimeBlock, TimeAction)?.SelectedTime;
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[DateBlock] = "Pick the date (UTC).";
        }
        else if (!TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var minute))
        {
            errors[TimeBlock] = "Pick the time (UTC), as HH:MM.";
        }
        else
        {
            var picked = DateTime.SpecifyKind(day.ToDateTime(minute), DateTimeKind.Utc);
            var shown = entry?.Entry.OccurredAt;
            occurredAt = shown is { } s && Minute(s) == picked ? null : picked;
        }

        TimelineSection? section = null;
        var chosen = state?.Get(SectionBlock, SectionAction)?.SelectedOption?.Value;
        if (!Enum.TryParse<TimelineSection>(chosen, out var parsed) || !Enum.IsDefined(parsed))
        {
            errors[SectionBlock] = "Pick the section.";
        }
        else if (entry is null || parsed != entry.Entry.Section)
        {
            section = parsed;
        }

        return new EntryFormValues(new EntryChange(text, occurredAt, section), errors);
    }

    private static DateTime Minute(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);
}

public sealed record EntryFormValues(EntryChange Change, IReadOnlyDictionary<string, string> Errors);
