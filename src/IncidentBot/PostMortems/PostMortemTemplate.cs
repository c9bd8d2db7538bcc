using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Values;
using IncidentBot.Incidents;

namespace IncidentBot.PostMortems;

/// <summary>
/// The Liquid template the Markdown draft is rendered from: the one shipped in the app, or the team's own
/// (<c>Incidents:PostmortemTemplate</c>). The team's own is parsed at start, so a broken template stops the app with
/// its line and error instead of failing a close hours later; the shipped one when first used.
/// </summary>
public sealed class PostMortemTemplate
{
    private const string DefaultResource = "IncidentBot.PostMortems.Templates.postmortem.liquid";
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();

    private readonly IFluidTemplate _template;

    private PostMortemTemplate(IFluidTemplate template) => _template = template;

    /// <summary>Loads and parses the configured template; <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryLoad(string? path, out PostMortemTemplate? template, out string? error)
    {
        template = null;
        string source;
        if (string.IsNullOrWhiteSpace(path))
        {
            using var stream = typeof(PostMortemTemplate).Assembly.GetManifestResourceStream(DefaultResource)
                               ?? throw new InvalidOperationException($"The default template {DefaultResource} is not embedded.");
            using var reader = new StreamReader(stream);
            source = reader.ReadToEnd();
        }
        else if (!File.Exists(path))
        {
            error = $"Incidents:PostmortemTemplate '{path}' does not exist.";
            return false;
        }
        else
        {
            source = File.ReadAllText(path);
        }

        if (!Parser.TryParse(source, out var parsed, out var parseError))
        {
            error = $"Incidents:PostmortemTemplate '{path ?? "(default)"}' is not a valid Liquid template: {parseError}";
            return false;
        }

        template = new PostMortemTemplate(parsed);
        error = null;
        return true;
    }

    public string Render(PostMortemDraft draft)
    {
        // Written into room for the whole draft: grown a block at a time, a huge draft's megabytes are allocated twice.
        using var writer = new StringWriter(new StringBuilder(EstimatedLength(draft)), CultureInfo.InvariantCulture);
        var rendering = _template.RenderAsync(writer, new TemplateContext(Model(draft), Options), NullEncoder.Default);
        if (!rendering.IsCompletedSuccessfully)
        {
            rendering.AsTask().GetAwaiter().GetResult();
        }

        return writer.ToString();
    }

    /// <summary>The entries' text and the template's own, with some room for escapes; a note is also on the timeline.</summary>
    private static int EstimatedLength(PostMortemDraft draft)
    {
        long length = 16 * 1024;
        foreach (var entries in (IReadOnlyList<DraftEntry>[])[draft.Notes, draft.Timeline, draft.ContributingFactors, draft.StabilizationSteps, draft.CorrectiveActions])
        {
            foreach (var entry in entries)
            {
                length += entry.Text.Length + entry.Author.Length + 64;
            }
        }

        return (int)Math.Min(length + (length / 8), Array.MaxLength / 4);
    }

    /// <summary>What a template can use: pre-formatted UTC times and Markdown-escaped user text.</summary>
    private static Dictionary<string, object?> Model(PostMortemDraft draft)
    {
        static string Time(DateTime at) => at.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var times = new EntryTimes();
        // Entries are given to Fluid as its own values, made once: plain dictionaries would be wrapped again at every
        // member access, and a huge draft makes thousands of them.
        ArrayValue Entries(IEnumerable<DraftEntry> entries) =>
            new([
                .. entries.Select(e => new DictionaryValue(new EntryValues(
                    times.Of(e.At), new StringValue(MarkdownText.Escape(e.Author)), new StringValue(MarkdownText.Escape(e.Text)), BooleanValue.Create(e.IsLifecycle)))),
            ]);

        static string? Escaped(string? text) => text is null ? null : MarkdownText.Escape(text);

        return new Dictionary<string, object?>
        {
            ["title_line"] = MarkdownText.Escape(draft.TitleLine),
            ["title"] = MarkdownText.Escape(draft.Title),
            ["reference"] = draft.Reference,
            ["leader"] = MarkdownText.Escape(draft.Leader),
            ["roles"] = draft.Roles.Select(r => new Dictionary<string, object?> { ["name"] = MarkdownText.Escape(r.Role), ["holder"] = MarkdownText.Escape(r.Holder) }).ToList(),
            ["declared_by"] = MarkdownText.Escape(draft.DeclaredBy),
            ["severity"] = draft.Severity is null ? null : MarkdownText.Escape(draft.Severity),
            ["channel"] = draft.ChannelName is null ? null : MarkdownText.Escape(draft.ChannelName),
            ["declared_at"] = Time(draft.DeclaredAt),
            ["resolved_at"] = Time(draft.ResolvedAt),
            ["duration"] = IncidentDuration.Format(draft.Duration),
            ["first_sign_at"] = draft.FirstSignAt is { } first ? Time(first) : null,
            ["duration_from_first_sign"] = draft.FirstSignAt is { } since ? IncidentDuration.Format(draft.ResolvedAt - since) : null,
            ["notes"] = Entries(draft.Notes),
            ["timeline"] = Entries(draft.Timeline),
            ["contributing_factors"] = Entries(draft.ContributingFactors),
            ["stabilization_steps"] = Entries(draft.StabilizationSteps),
            ["corrective_actions"] = Entries(draft.CorrectiveActions),
            ["description"] = Escaped(draft.Description),
            ["impact"] = Escaped(draft.Impact),
            ["meeting"] = Escaped(draft.Meeting),
            ["impact_summary"] = Escaped(ImpactText.Summary(draft, Time)),
            ["impact_moments"] = ImpactText.Moments(draft, Time).Select(MarkdownText.Escape).ToList(),
            ["impact_counted_from"] = Escaped(ImpactText.CountedFromNote(draft)),
        };
    }

    private const string TimeFormat = "yyyy-MM-dd HH:mm 'UTC'";

    /// <summary>
    /// An entry's time as shown: entries come in time order, so most are in the minute of the one before, and each
    /// minute is formatted once.
    /// </summary>
    private sealed class EntryTimes
    {
        private long _minute = -1;
        private StringValue _shown = StringValue.Empty;

        public StringValue Of(DateTime at)
        {
            var minute = at.Ticks / TimeSpan.TicksPerMinute;
            if (minute != _minute)
            {
                _minute = minute;
                _shown = new StringValue(at.ToString(TimeFormat, CultureInfo.InvariantCulture));
            }

            return _shown;
        }
    }

    /// <summary>An entry as the template sees it: what a dictionary of its four values gives, without one per entry.</summary>
    private sealed class EntryValues(FluidValue time, FluidValue author, FluidValue text, FluidValue lifecycle) : IFluidIndexable
    {
        private static readonly string[] Names = ["time", "author", "text", "lifecycle"];

        public int Count => Names.Length;

        public IEnumerable<string> Keys => Names;

        public bool TryGetValue(string name, out FluidValue value)
        {
            value = name switch
            {
                "time" => time,
                "author" => author,
                "text" => text,
                "lifecycle" => lifecycle,
                _ => null!,
            };
            return value is not null;
        }
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.TimeZone = TimeZoneInfo.Utc;
        options.CultureInfo = CultureInfo.InvariantCulture;
        return options;
    }
}
