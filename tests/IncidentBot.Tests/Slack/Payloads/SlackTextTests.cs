using IncidentBot.Slack.Payloads;

namespace IncidentBot.Tests.Slack.Payloads;

public sealed class SlackTextTests
{
    [Fact]
    public void Escapes_exactly_the_three_characters_slack_requires()
    {
        Assert.Equal("a &amp; b &lt;c&gt; \"d\" 'e'", SlackText.Escape("a & b <c> \"d\" 'e'"));
    }

    [Fact]
    public void Unescape_reverses_escape()
    {
        const string original = "5 < 6 && 7 > 3 &amp; literal";
        Assert.Equal(original, SlackText.Unescape(SlackText.Escape(original)));
    }

    [Theory]
    [InlineData("<@U123ABC>", "U123ABC")]
    [InlineData("<@U123ABC|ana>", "U123ABC")]
    [InlineData(" <@W0ENTERPRISE|ana> ", "W0ENTERPRISE")]
    [InlineData("<#C123|general>", null)]
    [InlineData("@ana", null)]
    [InlineData("<@U1> and more", null)]
    public void Parses_escaped_user_mentions(string token, string? expected)
    {
        Assert.Equal(expected, SlackText.ParseUserMention(token));
    }

    [Fact]
    public void Finds_every_entity_kind()
    {
        var entities = SlackText.Entities("ask <@U012ABCDEF> for <@U345|worf> in <#C012ABCDE|d-social>, <#G98|> see <https://x.test|docs> <!here>").ToList();
        Assert.Equal(
            [new("@", "U012ABCDEF", null), new("@", "U345", "worf"), new("#", "C012ABCDE", "d-social"), new("#", "G98", ""), new("", "https://x.test", "docs"), new("!", "here", null)],
            entities);
    }

    [Theory]
    [InlineData("<!channel> look", "@channel look")]
    [InlineData("<!here|here> and <!everyone>", "@here and @everyone")]
    [InlineData("ask <!subteam^S0123|@oncall> or <!subteam^S0456>", "ask @oncall or @group")]
    [InlineData("<!channel|hello all>", "@channel")]
    [InlineData("<https://evil.example|login> now", "login (<https://evil.example>) now")]
    [InlineData("<https://good.example|https://evil.example>", "https://evil.example (<https://good.example>)")]
    [InlineData("<https://x.test> and <https://x.test|https://x.test>", "<https://x.test> and <https://x.test|https://x.test>")]
    [InlineData("<mailto:a@b.test|a@b.test> <mailto:a@b.test|support>", "<mailto:a@b.test|a@b.test> support (<mailto:a@b.test>)")]
    [InlineData("<@U1> in <#C1|ops> at <!date^1505973600^{time}|06:00> &lt;b&gt;", "<@U1> in <#C1|ops> at <!date^1505973600^{time}|06:00> &lt;b&gt;")]
    public void Disarm_turns_group_mentions_into_words_shows_link_addresses_and_keeps_the_rest(string text, string expected)
    {
        Assert.Equal(expected, SlackText.Disarm(text));
    }

    [Theory]
    [InlineData("<@U1> <@U2|ana> <#C1|ops> <!here> <https://x.test|<@U3>>", new[] { "U1", "U2" })]
    [InlineData("<@> <@|x> <@@U4> <<@U5> <@U6>> <@U7|>", new[] { "@U4", "U6", "U7" })]
    [InlineData("<@U8|a|b> <@U9 <@U10>", new[] { "U8", "U9 <@U10" })]
    [InlineData("no tokens, <@U11 unclosed", new string[0])]
    public void Mentioned_user_ids_are_the_ids_of_the_user_entities(string text, string[] expected)
    {
        Assert.Equal([.. SlackText.Entities(text).Where(e => e.Sigil == "@").Select(e => e.Id)], SlackText.MentionedUserIds(text));
        Assert.Equal(expected, SlackText.MentionedUserIds(text));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("&lt;b&gt; &amp; &amp;lt; &&lt; &l&amp;t; &amp;amp; & &gt", "<b> & &lt; &< &l&t; &amp; & &gt")]
    [InlineData("&lt;&gt;&amp;&", "<>&&")]
    [InlineData("ends &amp", "ends &amp")]
    public void Unescape_undoes_the_three_escapes_once_left_to_right(string text, string expected)
    {
        Assert.Equal(expected, SlackText.Unescape(text));
        Assert.Equal(text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal), SlackText.Unescape(text));
    }
}
