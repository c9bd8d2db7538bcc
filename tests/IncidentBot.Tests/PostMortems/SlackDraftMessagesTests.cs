using System.Text.RegularExpressions;
using IncidentBot.PostMortems;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Tests.PostMortems;

/// <summary>The draft's Markdown as Slack messages: Markdig's syntax tree turned into Block Kit, within Slack's limits.</summary>
public sealed partial class SlackDraftMessagesTests
{
    private static readonly DateTime Declared = new(2017, 9, 20, 6, 5, 0, DateTimeKind.Utc);

    private static string Text(Block block) => block switch
    {
        HeaderBlock header => "header: " + header.Text.Text,
        SectionBlock section => "section: " + section.Text.Text,
        ContextBlock context => "context: " + string.Join(" ", context.Elements.Select(e => e.Text)),
        DividerBlock => "divider",
        _ => block.GetType().Name,
    };

    private static List<string> Texts(SlackDraftMessage message) => [.. message.Blocks.Select(Text)];

    [Fact]
    public void Headings_lists_emphasis_links_code_breaks_and_rules_become_block_kit()
    {
        const string markdown = """
            # 2017-09-20 - Checkout \*down\* \<again\>

            **Meeting:** _Not held yet._ Led by Ana Lima · [the runbook](https://example.com/run?a=1&b=2) · `code <b>`

            ## Description

            Q&A &amp; R\&D: 5xx \< 1% \& latency \> 2s, \<\!channel\> and <!here> saw it.
            A soft break,\
              &#32; a user's hard break, ~~struck~~ and ***both***.

            - first item
            - second, with **bold**
              - nested
            1. one
            1. two

            > a quote

            ---

            ### A *deeper* heading
            """;

        var message = Assert.Single(SlackDraftMessages.Build(markdown, "2017-09-20 - Checkout *down* <again>"));

        Assert.Equal("Post-mortem draft: 2017-09-20 - Checkout *down* &lt;again&gt;", message.Text);
        Assert.Equal(
            [
                "header: 2017-09-20 - Checkout *down* <again>",
                "section: *Meeting:* _Not held yet._ Led by Ana Lima · <https://example.com/run?a=1&amp;b=2|the runbook> · `code &lt;b&gt;`",
                "section: *Description*\n" +
                "Q&amp;A &amp; R&amp;D: 5xx &lt; 1% &amp; latency &gt; 2s, &lt;!channel&gt; and &lt;!here&gt; saw it.\n" +
                "A soft break,\n  a user's hard break, ~struck~ and _*both*_.\n" +
                "• first item\n" +
                "• second, with *bold*\n" +
                "    • nested\n" +
                "1. one\n" +
                "2. two\n" +
                "&gt; a quote",
                "divider",
                "section: *A _deeper_ heading*",
            ],
            Texts(message));
        Assert.All(message.Blocks.OfType<SectionBlock>(), section => Assert.True(((Mrkdwn)section.Text).Verbatim));
    }

    [Fact]
    public void Text_before_the_title_an_empty_heading_a_second_h1_and_a_table_keep_their_place()
    {
        var message = Assert.Single(SlackDraftMessages.Build("Just a line.\n\n#\n\n# One\n\n# Two\n\n| a | b |\n|---|---|\n| c & d | e |\n", "t"));

        Assert.Equal(["section: Just a line.", "header: One", "section: *Two*\na | b\nc &amp; d | e"], Texts(message));
    }

    [Fact]
    public void A_long_draft_is_split_within_slacks_limits_in_order_and_labelled_part_k_of_n()
    {
        // 3,000 entries, and one entry far longer than a section: it is cut at spaces, never inside an escape.
        var entries = Enumerable.Range(1, 3000).Select(i => $"- Entry {i:D4}: 5xx \\< 1% & latency \\> 2s").ToList();
        entries.Insert(1500, "- Long: " + string.Concat(Enumerable.Repeat("every \\<thing\\> & more ", 500)));
        var markdown = "# Title\n\n## Timeline\n\n" + string.Join("\n", entries) + "\n\n## Impact\n\nDone.\n";

        var messages = SlackDraftMessages.Build(markdown, "Title");

        Assert.True(messages.Count > 5, $"{messages.Count} messages");
        var sections = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var blocks = messages[i].Blocks;
            Assert.InRange(blocks.Count, 2, SlackDraftMessages.MaxBlocks);
            Assert.Equal($"context: Part {i + 1} of {messages.Count}", Text(blocks[^1]));
            Assert.EndsWith($"(Part {i + 1} of {messages.Count})", messages[i].Text, StringComparison.Ordinal);
            var texts = blocks.OfType<SectionBlock>().Select(s => s.Text.Text).ToList();
            Assert.All(texts, t => Assert.InRange(t.Length, 1, SlackDraftMessages.MaxSectionText));
            Assert.InRange(texts.Sum(t => t.Length), 1, SlackDraftMessages.MaxMessageText);
            sections.AddRange(texts);
        }

        Assert.IsType<HeaderBlock>(messages[0].Blocks[0]);
        Assert.StartsWith("*Timeline*\n• Entry 0001: 5xx &lt; 1% &amp; latency &gt; 2s\n", sections[0], StringComparison.Ordinal);
        Assert.Equal("*Impact*\nDone.", sections[^1]);
        var all = string.Join("\n", sections);
        var positions = Enumerable.Range(1, 3000).Select(i => all.IndexOf($"• Entry {i:D4}: 5xx &lt; 1% &amp; latency &gt; 2s", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(500, Regex.Count(all, @"every\s&lt;thing&gt;\s&amp;\smore"));
    }

    [Fact]
    public void Nothing_typed_is_lost_when_a_section_holds_one_line_longer_than_its_limit()
    {
        var word = new string('x', 4000);

        var texts = SlackDraftMessages.Build($"{word} & end", "t").SelectMany(m => m.Blocks).OfType<SectionBlock>().Select(s => s.Text.Text).ToList();

        Assert.Equal([word[..3000], word[3000..] + " &amp; end"], texts);
    }

    public static TheoryData<string> HostileTexts() =>
    [
        "- a bullet", "first\n- a bullet", "1. an ordered item", "# a heading", "first\n### a heading", "> a quote", "first\n---",
        "    indented code", "   three spaces\n  two spaces", "first\n\nsecond paragraph", "first\n\n\n",
        "`code` and ``more``", "first\n```\nfenced\n```", "<b>bold</b> <script>alert(1)</script>", "<!-- a comment -->",
        "&copy; &amp; &#169; &lt;b&gt;", "[a](b) ![an image](c.png) <https://example.com> [a ref]", "first\n[a ref]: https://example.com",
        "a | b\n--- | ---\nc | d", "~~struck~~", "*em* _em_ **strong** snake_case_name 2*3*4",
        "ends with a backslash \\", "a backslash\\\nbreak", "two trailing spaces  \nbreak",
        "<!channel> <!here|here> <@U123> <#C123|ops> <https://evil.example.com|click>",
    ];

    /// <summary>
    /// User text, escaped for Markdown by the template model, reads in Slack as typed: Markdown's escapes undone, Slack's
    /// applied, so it adds no block, no heading, no list item, no link and no mention.
    /// </summary>
    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void User_text_in_the_shipped_template_reads_in_slack_as_typed_and_adds_no_structure(string hostile)
    {
        Assert.True(PostMortemTemplate.TryLoad(null, out var template, out var error), error);
        var plain = Draft("plain");
        var draft = Draft(hostile);

        var plainTexts = SlackDraftMessages.Build(template!.Render(plain), plain.TitleLine).SelectMany(Texts).ToList();
        var texts = SlackDraftMessages.Build(template.Render(draft), draft.TitleLine).SelectMany(Texts).ToList();

        var all = string.Join("\n", texts);
        foreach (var field in new[] { draft.Description!, draft.Timeline[0].Text, draft.CorrectiveActions[0].Author })
        {
            Assert.Contains(field.ReplaceLineEndings("\n"), SlackText.Unescape(all), StringComparison.Ordinal);
        }

        Assert.Equal(plainTexts.Select(Kind), texts.Select(Kind));
        Assert.Equal(plainTexts.Sum(Items), texts.Sum(Items));
        var sections = string.Join("\n", texts.Where(t => t.StartsWith("section: ", StringComparison.Ordinal)));
        Assert.DoesNotContain("<", sections, StringComparison.Ordinal);
        Assert.DoesNotMatch("&(?!amp;|lt;|gt;)", sections);
    }

    /// <summary>A block's kind and, for a section, its bold title.</summary>
    private static string Kind(string text) => text.StartsWith("section: *", StringComparison.Ordinal) && TitleLine().Match(text) is { Success: true } title
        ? "section " + title.Value
        : text.Split(':')[0];

    private static int Items(string text) => text.Split('\n').Count(line => line.StartsWith("• ", StringComparison.Ordinal));

    private static PostMortemDraft Draft(string text) => new()
    {
        IncidentId = 42,
        Reference = "INC-42",
        Title = "Checkout down",
        DeclaredAt = Declared,
        ResolvedAt = Declared.AddMinutes(50),
        Leader = "Ana Lima",
        DeclaredBy = "Ana Lima",
        Description = text,
        Timeline = [new DraftEntry(Declared.AddMinutes(1), "Ana Lima", text, false)],
        CorrectiveActions = [new DraftEntry(Declared.AddMinutes(2), text, "plain", false)],
    };

    [GeneratedRegex(@"^section: \*(Description|Timeline|Contributing Factor\(s\)|Stabilization Steps|Impact|Corrective Actions)\*")]
    private static partial Regex TitleLine();
}
