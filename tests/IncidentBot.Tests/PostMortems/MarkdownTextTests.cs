using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.PostMortems;
using Markdig;
using Markdig.Extensions.EmphasisExtras;

namespace IncidentBot.Tests.PostMortems;

/// <summary>
/// User text survives the trip through the draft: the whole draft is rendered by the shipped template, then to HTML by
/// Markdig, and every user text must read there as typed while the document keeps exactly the structure (lists,
/// headings, rules, code, links, tags) that the same draft of plain texts has.
/// </summary>
public sealed partial class MarkdownTextTests
{
    // CommonMark with GitHub's tables, strikethrough and task lists, raw HTML left on: a leaked tag shows up as a tag.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .UseTaskLists()
        .Build();

    private static readonly DateTime Declared = new(2017, 9, 20, 6, 5, 0, DateTimeKind.Utc);

    private static readonly string[] Hostile =
    [
        "- a bullet", "first\n- a bullet",
        "+ a bullet", "first\n+ a bullet",
        "* a bullet", "first\n* a bullet",
        "1. an ordered item", "first\n1. an ordered item",
        "1) an ordered item", "first\n2) an ordered item",
        "- [ ] a task",
        "# a heading", "first\n# a heading", "first\n### a heading",
        "> a quote", "first\n> a quote",
        "---", "first\n---", "first\n-", "first\n===", "first\n=",
        "***", "first\n***", "first\n___", "first\n- - -",
        "    indented code", "first\n    indented code", "first\n\n    indented after a blank line",
        "   three spaces\n  two spaces",
        "first\n\nsecond paragraph",
        "first\n\n\n",
        "`code` and ``more``", "first\n```\nfenced\n```", "~~~\nfenced\n~~~",
        "<b>bold</b> <script>alert(1)</script>", "first\n<div>a block</div>", "<!-- a comment -->",
        "&copy; &amp; &#169; &#xA9; &lt;b&gt;", "first\n&nbsp;",
        "[a](b) ![an image](c.png) <https://example.com> [a ref]", "[a ref]: https://example.com", "first\n[a ref]: https://example.com",
        "a | b", "a | b\n--- | ---\nc | d", "|a|b|\n|-|-|",
        "~~struck~~ ~one~",
        "*em* _em_ **strong** __strong__ ***both*** snake_case_name 2*3*4",
        "ends with a backslash \\", "a backslash\\\nbreak", "two trailing spaces  \nbreak",
        "windows\r\n- a bullet\rold mac",
    ];

    public static TheoryData<string> HostileTexts() => [.. Hostile];

    /// <summary>Every place a user's words reach the draft, each set alone so a failure names the place.</summary>
    private static readonly (string Field, Func<PostMortemDraft, string, PostMortemDraft> Set)[] Fields =
    [
        // A title is one line: /incident start collapses its whitespace.
        ("title", (d, t) => d with { Title = t.ReplaceLineEndings(" ") }),
        ("leader", (d, t) => d with { Leader = t }),
        ("declared by", (d, t) => d with { DeclaredBy = t }),
        ("severity", (d, t) => d with { Severity = t }),
        ("channel", (d, t) => d with { ChannelName = t }),
        ("note", (d, t) => d with { Notes = [Entry(t, "plain")] }),
        ("note author", (d, t) => d with { Notes = [Entry("plain", t)] }),
        ("timeline entry", (d, t) => d with { Timeline = [Entry(t, "plain")] }),
        ("timeline author", (d, t) => d with { Timeline = [Entry("plain", t)] }),
        ("contributing factor", (d, t) => d with { ContributingFactors = [Entry(t, "plain")] }),
        ("stabilization step", (d, t) => d with { StabilizationSteps = [Entry(t, "plain")] }),
        ("corrective action", (d, t) => d with { CorrectiveActions = [Entry(t, "plain")] }),
        ("corrective action author", (d, t) => d with { CorrectiveActions = [Entry("plain", t)] }),
    ];

    private static DraftEntry Entry(string text, string author) => new(Declared.AddMinutes(1), author, text, false);

    private static PostMortemDraft PlainDraft() => new()
    {
        IncidentId = 42,
        Reference = "INC-42",
        Title = "plain",
        DeclaredAt = Declared,
        ResolvedAt = Declared.AddMinutes(50),
        Leader = "plain",
        DeclaredBy = "plain",
        Severity = "plain",
        ChannelName = "plain",
        Notes = [Entry("plain", "plain")],
        Timeline = [Entry("plain", "plain")],
        ContributingFactors = [Entry("plain", "plain")],
        StabilizationSteps = [Entry("plain", "plain")],
        CorrectiveActions = [Entry("plain", "plain")],
    };

    private static string Html(PostMortemDraft draft)
    {
        Assert.True(PostMortemTemplate.TryLoad(null, out var template, out var error), error);
        return Markdown.ToHtml(template!.Render(draft), Pipeline);
    }

    /// <summary>How many of each element the HTML has; line breaks aside, which are how a user's newlines read.</summary>
    private static string Structure(string html) =>
        string.Join(", ", Tag().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).Where(t => t != "br")
            .GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));

    /// <summary>What a reader sees: tags gone, line breaks as newlines, entities decoded.</summary>
    private static string Text(string html) =>
        WebUtility.HtmlDecode(AnyTag().Replace(html.Replace("<br />\n", "\n", StringComparison.Ordinal), ""));

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void A_hostile_text_anywhere_in_the_draft_reads_as_typed_and_adds_no_structure(string hostile)
    {
        var plain = Structure(Html(PlainDraft()));

        var failures = new List<string>();
        foreach (var (field, set) in Fields)
        {
            var draft = set(PlainDraft(), hostile);
            var html = Html(draft);
            var typed = (field == "title" ? draft.Title : hostile).ReplaceLineEndings("\n");

            if (!Text(html).Contains(typed, StringComparison.Ordinal))
            {
                failures.Add($"{field}: the text does not read as typed.\n{html}");
            }

            if (Structure(html) != plain)
            {
                failures.Add($"{field}: the structure is {Structure(html)}, the template makes {plain}.\n{html}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void A_draft_full_of_hostile_texts_keeps_the_template_structure()
    {
        var plain = Structure(Html(PlainDraft()));
        var entries = Hostile.Select((text, i) => Entry(text, Hostile[(i + 1) % Hostile.Length])).ToList();
        var draft = PlainDraft() with
        {
            Title = "1. # Café > down | *now* [a](b) &copy;",
            Leader = "- Ana <b>Lima</b>",
            DeclaredBy = "+ Josh ~~Pereira~~",
            Notes = entries,
            Timeline = entries,
            ContributingFactors = entries,
            StabilizationSteps = entries,
            CorrectiveActions = entries,
        };

        var html = Html(draft);

        var text = Text(html);
        Assert.All(new[] { draft.Title, draft.Leader, draft.DeclaredBy }.Concat(Hostile.Select(h => h.ReplaceLineEndings("\n"))),
            typed => Assert.Contains(typed, text, StringComparison.Ordinal));
        // Five lists of one item each in the plain draft; here each list holds every hostile text, and nothing more.
        var expected = plain.Replace($"li×5", $"li×{5 * Hostile.Length}", StringComparison.Ordinal);
        Assert.Equal(expected, Structure(html));
    }

    [Fact]
    public void Plain_text_is_left_alone()
    {
        Assert.Equal(
            "Updated consumer-api to master at 06:42 (1.5 h in); Q&A - R&D 3.",
            MarkdownText.Escape("Updated consumer-api to master at 06:42 (1.5 h in); Q&A - R&D 3."));
    }

    /// <summary>Texts at the edge of what needs no escaping (the expected texts are what the escape gave before it had a quick path).</summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("plain words, Q&A - R&D", "plain words, Q&A - R&D")]
    [InlineData("9 lives", "9 lives")]
    [InlineData("12. twelfth", "12\\. twelfth")]
    [InlineData(" lead", "&#32;lead")]
    [InlineData("\ttab", "&#9;tab")]
    [InlineData("-", "\\-")]
    [InlineData("=x", "\\=x")]
    [InlineData("+", "\\+")]
    [InlineData("a\u2028- b", "a\\\n  \\- b")]
    [InlineData("a\u0085b\fc\u2029d", "a\\\n  b\\\n  c\\\n  d")]
    [InlineData("a\r\nb\rc", "a\\\n  b\\\n  c")]
    [InlineData("end\n", "end\\\n  &#32;")]
    [InlineData("é🚒 事件", "é🚒 事件")]
    public void Text_at_the_edge_of_needing_no_escape_is_escaped_as_it_needs(string text, string expected)
    {
        Assert.Equal(expected, MarkdownText.Escape(text));
    }

    [Theory]
    [InlineData("plain words, and more (1.5 h)")]
    [InlineData("é🚒 事件")]
    public void Text_that_needs_nothing_is_not_copied(string text)
    {
        Assert.Same(text, MarkdownText.Escape(text));
    }

    [GeneratedRegex(@"<([a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex Tag();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex AnyTag();
}
