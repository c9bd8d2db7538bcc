using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Review;

/// <summary>
/// The form pushed over the review modal for the incident's story (Description, Impact, Meeting) and its key moments,
/// and the reading of its submission. An emptied story field shows its prompt again; an emptied moment goes back to
/// what is measured.
/// </summary>
public static class StoryForm
{
    public const string ValueAction = "value";

    public static string FieldBlock(StoryField field) => $"story-{field.Name}";

    public static string MomentBlock(KeyMoment moment) => $"moment-{KeyMoments.Word(moment)}";

    public static ModalView Build(ReviewMetadata metadata, ReviewSnapshot snapshot)
    {
        var incident = snapshot.Incident;
        var blocks = new List<Block>();
        foreach (var field in IncidentRecord.Fields)
        {
            blocks.Add(new InputBlock(new PlainText(field.Field), new PlainTextInput(ValueAction)
            {
                Multiline = field.Name != "meeting",
                InitialValue = Shown(snapshot, field.Get(incident)),
                MaxLengthLimit = PlainTextInput.MaxLength,
                Placeholder = new PlainText(SlackText.Shorten($"e.g. {field.Example}", 150)),
            })
            { BlockId = FieldBlock(field), Optional = true });
        }

        foreach (var moment in KeyMoments.All)
        {
            var value = KeyMoments.Of(incident, moment);
            var measured = value.SetByHand ? null : value.At is { } at ? $"Measured: {Format(at)} ({value.MeasuredAs}). " : "Not measured. ";
            blocks.Add(new InputBlock(new PlainText($"Impact {KeyMoments.Word(moment)} (UTC)"), new PlainTextInput(ValueAction)
            {
                InitialValue = incident.SetByHand(moment) is { } byHand ? Format(byHand) : null,
                Placeholder = new PlainText("YYYY-MM-DD HH:MM"),
            })
            {
                BlockId = MomentBlock(moment),
                Optional = true,
                Hint = new PlainText($"{measured}Empty: the draft uses what is measured."),
            });
        }

        return new ModalView(new PlainText("Story and key moments"), blocks)
        {
            CallbackId = ReviewIds.StoryForm,
            PrivateMetadata = metadata.ToString(),
            Submit = new PlainText("Save"),
            Close = new PlainText("Back"),
        };
    }

    /// <summary>
    /// The fields whose text differs from what the form showed (Slack text, or null to clear), the moments typed
    /// (null to clear), and the errors of times that do not read as YYYY-MM-DD HH:MM.
    /// </summary>
    public static StoryFormValues Read(ViewState? state, ReviewSnapshot snapshot)
    {
        var incident = snapshot.Incident;
        var fields = new Dictionary<StoryField, string?>();
        foreach (var field in IncidentRecord.Fields)
        {
            var typed = state?.Get(FieldBlock(field), ValueAction)?.Value?.Trim();
            var shown = Shown(snapshot, field.Get(incident));
            if ((typed ?? "") != (shown ?? ""))
            {
                fields[field] = string.IsNullOrEmpty(typed) ? null : SlackText.Escape(typed);
            }
        }

        var moments = new Dictionary<KeyMoment, DateTime?>();
        var errors = new Dictionary<string, string>();
        foreach (var moment in KeyMoments.All)
        {
            var typed = state?.Get(MomentBlock(moment), ValueAction)?.Value?.Trim();
            if (string.IsNullOrEmpty(typed))
            {
                moments[moment] = null;
            }
            else if (KeyMoments.ParseTime(typed) is { } at)
            {
                moments[moment] = at;
            }
            else
            {
                errors[MomentBlock(moment)] = "Write the time in UTC as YYYY-MM-DD HH:MM, e.g. 2017-09-20 06:00; or leave it empty.";
            }
        }

        return new StoryFormValues(fields, moments, errors);
    }

    private static string? Shown(ReviewSnapshot snapshot, string? slackText) =>
        slackText is null ? null : SlackText.Shorten(snapshot.Plain(slackText), PlainTextInput.MaxLength);

    private static string Format(DateTime at) => at.ToString(KeyMoments.TimeFormat, CultureInfo.InvariantCulture);
}

public sealed record StoryFormValues(
    IReadOnlyDictionary<StoryField, string?> Fields,
    IReadOnlyDictionary<KeyMoment, DateTime?> Moments,
    IReadOnlyDictionary<string, string> Errors);
