using System.Globalization;
using System.Text;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Block = IncidentBot.Slack.Blocks.Block;
using MarkdownBlock = Markdig.Syntax.Block;
using Markdig.Syntax.Inlines;

namespace IncidentBot.PostMortems;

/// <summary>One Slack message of a published draft.</summary>
public sealed record SlackDraftMessage(string Text, IReadOnlyList<Block> Blocks);

/// <summary>
/// The draft's Markdown (the template's rendering, the very text of the file) as Slack messages, read through Markdig's
/// syntax tree so both say the same in the same order: the first H1 is the header block; every other heading starts a
/// section with its title in bold; paragraphs, list items and quotes are mrkdwn lines; a rule is a divider. Text reads as
/// it does in the file: Markdown's escapes undone, Slack's three applied, so nothing typed becomes a mention or a link.
/// Split to stay within Slack's limits: 50 blocks and 3,000 characters a section; and, because Slack refuses messages
/// whose blocks hold much more than ~13,000 characters in all (msg_blocks_too_long, well below the 40,000 of plain
/// text), at most 12,000 characters of block text each.
/// </summary>
public static class SlackDraftMessages
{
    public const int MaxBlocks = BlockLimits.BlocksPerMessage;
    public const int MaxSectionText = SectionBlock.MaxTextLength;
    public const int MaxMessageText = 12_000;

    /// <summary>What the draft's Markdown is written in (see <see cref="MarkdownText"/>): CommonMark, GitHub's tables and strikethrough.</summary>
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .Build();

    /// <param name="markdown">The rendered draft, as stored and shared as the file.</param>
    /// <param name="titleLine">The draft's title, for the messages' notification text.</param>
    public static IReadOnlyList<SlackDraftMessage> Build(string markdown, string titleLine)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var blocks = new List<Block>();
        var hasHeader = false;
        string? heading = null;
        var lines = new List<string>();

        void EndPart()
        {
            if (heading is not null || lines.Count > 0)
            {
                AddPart(blocks, heading, lines);
            }

            heading = null;
            lines = [];
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } h1 when !hasHeader && Plain(h1.Inline).Trim() is { Length: > 0 } title:
                    EndPart();
                    blocks.Add(new HeaderBlock(new PlainText(Truncate(title, HeaderBlock.MaxTextLength))));
                    hasHeader = true;
                    break;
                case HeadingBlock title:
                    EndPart();
                    heading = Inlines(title.Inline, inBold: true) is { Length: > 0 } text ? text : null;
                    break;
                case ThematicBreakBlock:
                    EndPart();
                    blocks.Add(new DividerBlock());
                    break;
                default:
                    lines.AddRange(Lines(block, markdown, ""));
                    break;
            }
        }

        EndPart();
        return Split(titleLine, blocks);
    }

    /// <summary>A block as mrkdwn lines: a paragraph is one (its breaks kept), a list one per item.</summary>
    private static IEnumerable<string> Lines(MarkdownBlock block, string markdown, string indent)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                return [indent + Inlines(paragraph.Inline, inBold: false)];
            case HeadingBlock heading:
                return [indent + $"*{Inlines(heading.Inline, inBold: true)}*"];
            case ListBlock list:
                return ListLines(list, markdown, indent);
            case QuoteBlock quote:
                return quote.SelectMany(child => Lines(child, markdown, "")).Select(line => indent + "&gt; " + line.Replace("\n", "\n&gt; ", StringComparison.Ordinal));
            case CodeBlock code:
                return [indent + "```\n" + Escape(code.Lines.ToString()) + "\n```"];
            case ThematicBreakBlock:
                return [indent + "―――"];
            case Table table:
                // Slack has no tables: a row a line, its cells apart.
                return table.OfType<TableRow>().Select(row => indent + string.Join(" | ", row.OfType<TableCell>().Select(cell => string.Join(" ", cell.SelectMany(child => Lines(child, markdown, ""))))));
            case LinkReferenceDefinitionGroup or BlankLineBlock:
                return [];
            case ContainerBlock container:
                return container.SelectMany(child => Lines(child, markdown, indent));
            case { Span.Start: >= 0 } other when other.Span.Start < markdown.Length:
                // Raw HTML: shown as written.
                var source = markdown.Substring(other.Span.Start, Math.Min(other.Span.Length, markdown.Length - other.Span.Start)).TrimEnd();
                return source.Length == 0 ? [] : [indent + Escape(source)];
            default:
                return [];
        }
    }

    private static IEnumerable<string> ListLines(ListBlock list, string markdown, string indent)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? string.Create(CultureInfo.InvariantCulture, $"{number++}. ") : "• ";
            var first = true;
            foreach (var child in item)
            {
                foreach (var line in Lines(child, markdown, child is ListBlock ? indent + "    " : ""))
                {
                    yield return child is ListBlock ? line : indent + (first ? marker : "    ") + line;
                    first = false;
                }
            }

            if (first)
            {
                yield return indent + marker.TrimEnd();
            }
        }
    }

    /// <summary>Inline Markdown as mrkdwn: emphasis as Slack's, links as &lt;url|text&gt;, everything typed escaped for Slack.</summary>
    private static string Inlines(ContainerInline? inlines, bool inBold)
    {
        var builder = new StringBuilder();
        AppendInlines(builder, inlines, inBold);
        return builder.ToString();
    }

    private static void AppendInlines(StringBuilder builder, ContainerInline? inlines, bool inBold)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(Escape(literal.Content.ToString()));
                    break;
                case HtmlEntityInline entity:
                    builder.Append(Escape(entity.Transcoded.ToString()));
                    break;
                case LineBreakInline:
                    builder.Append('\n');
                    break;
                case CodeInline code:
                    builder.Append('`').Append(Escape(code.Content)).Append('`');
                    break;
                case AutolinkInline autolink:
                    builder.Append('<').Append(autolink.IsEmail ? "mailto:" : "").Append(Url(autolink.Url)).Append('|').Append(Escape(autolink.Url)).Append('>');
                    break;
                case LinkInline { Url: { Length: > 0 } url } link:
                    builder.Append('<').Append(Url(url)).Append('|').Append(Inlines(link, inBold).Replace("|", "¦", StringComparison.Ordinal)).Append('>');
                    break;
                case EmphasisInline emphasis:
                    var mark = emphasis.DelimiterChar == '~' ? "~" : emphasis.DelimiterCount >= 2 ? (inBold ? "" : "*") : "_";
                    builder.Append(mark);
                    AppendInlines(builder, emphasis, inBold || mark == "*");
                    builder.Append(mark);
                    break;
                case ContainerInline container:
                    AppendInlines(builder, container, inBold);
                    break;
                case HtmlInline html:
                    builder.Append(Escape(html.Tag));
                    break;
            }
        }
    }

    /// <summary>Inline Markdown as plain text (the header block shows no markup, and needs no escapes).</summary>
    private static string Plain(ContainerInline? inlines)
    {
        var builder = new StringBuilder();
        foreach (var inline in inlines?.Descendants<Inline>() ?? [])
        {
            builder.Append(inline switch
            {
                LiteralInline literal => literal.Content.ToString(),
                HtmlEntityInline entity => entity.Transcoded.ToString(),
                CodeInline code => code.Content,
                LineBreakInline => " ",
                HtmlInline html => html.Tag,
                _ => "",
            });
        }

        return builder.ToString();
    }

    /// <summary>A heading, then the lines packed into as few sections as the per-section limit allows.</summary>
    private static void AddPart(List<Block> blocks, string? heading, IEnumerable<string> lines)
    {
        var current = new StringBuilder(heading is null ? "" : $"*{heading}*");
        foreach (var piece in lines.SelectMany(line => Pieces(line, MaxSectionText)))
        {
            if (current.Length > 0 && current.Length + 1 + piece.Length > MaxSectionText)
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

        if (current.Length > 0)
        {
            blocks.Add(Section(current.ToString()));
        }
    }

    /// <summary>Groups blocks into messages under both limits, each labelled "part k of n" when there are several.</summary>
    private static List<SlackDraftMessage> Split(string titleLine, List<Block> blocks)
    {
        // Room for the "Part k of n" block, and for the block a later version's label may add (DraftVersionNotes).
        const int reservedBlocks = 2;
        const int reservedText = 400;
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

        var fallback = $"Post-mortem draft: {Escape(titleLine)}";
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

    private static string Escape(string text) => SlackText.Escape(text);

    /// <summary>A link's address inside &lt;url|text&gt;: Slack's escapes, and no '|' to end it early.</summary>
    private static string Url(string url) => Escape(url).Replace("|", "%7C", StringComparison.Ordinal);

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
