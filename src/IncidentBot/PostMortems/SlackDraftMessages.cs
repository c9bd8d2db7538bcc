using System.Globalization;
using System.Text;
using IncidentBot.Incidents;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.PostMortems;

/// <summary>One Slack message of a published draft.</summary>
public sealed record SlackDraftMessage(string Text, IReadOnlyList<Block> Blocks);

/// <summary>
/// The draft as readable Slack messages: a header, then a section per part, each entry's time a date token so every
/// reader sees their own zone (UTC as the fallback). Split to stay within Slack's limits: 50 blocks and 3,000
/// characters a section; and, because Slack refuses messages whose blocks hold much more than ~13,000 characters in
/// all (msg_blocks_too_long, well below the 40,000 of plain text), at most 12,000 characters of block text each.
/// </summary>
public static class SlackDraftMessages
{
    public const int MaxBlocks = BlockLimits.BlocksPerMessage;
    public const int MaxSectionText = SectionBlock.MaxTextLength;
    public const int MaxMessageText = 12_000;

    public static IReadOnlyList<SlackDraftMessage> Build(PostMortemDraft draft)
    {
        var blocks = new List<Block>
        {
            new HeaderBlock(new PlainText(Truncate(draft.TitleLine, HeaderBlock.MaxTextLength))),
            Section($"*Post-mortem draft* for {draft.Reference} · *Incident Leader:* {Escape(draft.Leader)}" +
                    $" · *Severity:* {Escape(draft.Severity ?? "not set")} · *Duration:* {IncidentDuration.Format(draft.Duration)}\n" +
                    $"*Meeting:* {(draft.Meeting is null ? "_Not held yet: schedule the review, or write who waived it._" : Escape(draft.Meeting))}"),
        };

        AddPart(
            blocks,
            "Description",
            [
                $"{Escape(draft.Title)}. Declared {Date(draft.DeclaredAt)} by {Escape(draft.DeclaredBy)}.",
                .. draft.Description is null ? [] : (string[])[Escape(draft.Description)],
                .. draft.Notes.Select(Line),
                .. draft.Description is null && draft.Notes.Count == 0 ? (string[])["_Add what happened, in a few sentences, for a reader who was not there._"] : [],
            ],
            null);
        AddPart(blocks, "Timeline", draft.Timeline.Select(TimedLine), "Nothing was put on the timeline during the incident.");
        AddPart(blocks, "Contributing Factor(s)", draft.ContributingFactors.Select(Line), "Nothing was marked: what made this possible, or worse?");
        AddPart(blocks, "Stabilization Steps", draft.StabilizationSteps.Select(Line), "Nothing was marked: what brought the service back?");
        AddPart(blocks, "Impact", [.. Impact(draft), draft.Impact is null ? "_Say who was affected, how, and how many._" : Escape(draft.Impact)], null);
        AddPart(blocks, "Corrective Actions", draft.CorrectiveActions.Select(Line), "Nothing was marked: what will keep this from happening again?");
        return Split(draft, blocks);
    }

    /// <summary>The key moments when some were set by hand (see <see cref="ImpactText"/>), else the measured duration.</summary>
    private static IEnumerable<string> Impact(PostMortemDraft draft)
    {
        if (ImpactText.Summary(draft, Date) is { } summary)
        {
            return [summary, .. ImpactText.Moments(draft, Date).Select(moment => "• " + moment), ImpactText.CountedFromNote(draft)!];
        }

        var impact = $"Duration: {IncidentDuration.Format(draft.Duration)}, from {Date(draft.DeclaredAt)} to {Date(draft.ResolvedAt)}.";
        if (draft.FirstSignAt is { } first)
        {
            impact += $" Counted from the first timeline entry ({Date(first)}): {IncidentDuration.Format(draft.ResolvedAt - first)}.";
        }

        return [impact];
    }

    /// <summary>A heading, then the lines packed into as few sections as the per-section limit allows.</summary>
    private static void AddPart(List<Block> blocks, string heading, IEnumerable<string> lines, string? whenEmpty)
    {
        var all = lines.ToList();
        if (all.Count == 0 && whenEmpty is not null)
        {
            all.Add($"_{whenEmpty}_");
        }

        var current = new StringBuilder($"*{heading}*");
        foreach (var piece in all.SelectMany(line => Pieces(line, MaxSectionText)))
        {
            if (current.Length + 1 + piece.Length > MaxSectionText)
            {
                blocks.Add(Section(current.ToString()));
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(piece);
        }

        blocks.Add(Section(current.ToString()));
    }

    /// <summary>Groups blocks into messages under both limits, each labelled "part k of n" when there are several.</summary>
    private static List<SlackDraftMessage> Split(PostMortemDraft draft, List<Block> blocks)
    {
        const int reservedBlocks = 1;
        const int reservedText = 100;
        var groups = new List<List<Block>> { new() };
        var text = 0;
        foreach (var block in blocks)
        {
            var size = TextLength(block);
            if (groups[^1].Count > 0 && (groups[^1].Count + 1 > MaxBlocks - reservedBlocks || text + size > MaxMessageText - reservedText))
            {
                groups.Add([]);
                text = 0;
            }

            groups[^1].Add(block);
            text += size;
        }

        var fallback = $"Post-mortem draft: {Escape(draft.TitleLine)}";
        if (groups.Count == 1)
        {
            return [new SlackDraftMessage(fallback, groups[0])];
        }

        return
        [
            .. groups.Select((group, i) =>
            {
                var label = string.Create(CultureInfo.InvariantCulture, $"Part {i + 1} of {groups.Count}");
                return new SlackDraftMessage($"{fallback} ({label})", [.. group, new ContextBlock([new Mrkdwn(label)])]);
            }),
        ];
    }

    private static string Line(DraftEntry entry) => $"• {Escape(entry.Text)} ({Escape(entry.Author)})";

    private static string TimedLine(DraftEntry entry) => $"• {Date(entry.At)} · *{Escape(entry.Author)}*: {Escape(entry.Text)}";

    /// <summary>Slack renders the token in each reader's zone; the fallback (notifications, exports) is UTC.</summary>
    public static string Date(DateTime utc)
    {
        var unix = new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"<!date^{unix}^{{date_num}} {{time}}|{utc:yyyy-MM-dd HH:mm} UTC>");
    }

    private static string Escape(string text) => SlackText.Escape(text);

    /// <summary>A line longer than a section can hold is cut at spaces where possible.</summary>
    private static IEnumerable<string> Pieces(string line, int max)
    {
        while (line.Length > max)
        {
            var cut = line.LastIndexOf(' ', max - 1);
            cut = cut < max / 2 ? max : cut;
            // Never cut inside an escape such as &amp;.
            var amp = line.LastIndexOf('&', cut - 1);
            if (amp >= 0 && amp > cut - 5 && line.IndexOf(';', amp) >= cut)
            {
                cut = amp;
            }

            yield return line[..cut];
            line = line[cut..].TrimStart();
        }

        yield return line;
    }

    private static SectionBlock Section(string mrkdwn) => new(new Mrkdwn(mrkdwn) { Verbatim = true });

    private static int TextLength(Block block) => block switch
    {
        SectionBlock section => section.Text.Text.Length,
        HeaderBlock header => header.Text.Text.Length,
        ContextBlock context => context.Elements.Sum(e => e.Text.Length),
        _ => 0,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
