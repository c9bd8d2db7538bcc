using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.PostMortems;

public sealed class PostMortemTemplateTests
{
    private const string Ana = "U0ANA00001";

    private static string TemplateFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}.liquid");
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The bot with this template, Ana (whose name has Markdown in it) and #ops.</summary>
    private static async Task<SlackTestbed> StartWithTemplateAsync(string template)
    {
        var testbed = await SlackTestbed.StartAsync(Clock.AtSeedIncident(), options =>
        {
            options.InDeclaringChannel();
            options.Settings["Incidents:PostmortemTemplate"] = template;
            return options;
        });
        testbed.Slack.Workspace.AddUser(Ana, "ana", "Ana *Star* Lima");
        testbed.Slack.Workspace.CreateChannel("ops", false, Ana, testbed.Slack.Options.BotUserId);
        return testbed;
    }

    [Fact]
    public async Task A_custom_template_is_used_with_user_text_escaped_for_markdown()
    {
        var template = TemplateFile("Custom: {{ title_line }}, led by {{ leader }}.\n{% for e in timeline %}* {{ e.text }}\n{% endfor %}");
        await using var testbed = await StartWithTemplateAsync(template);
        var ops = testbed.ChannelId("ops");

        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start DB_1 *down* [again]");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "close");
        await testbed.SettleAsync();

        var markdown = await testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync());
        Assert.Equal(
            "Custom: 2017-09-21 - DB\\_1 \\*down\\* \\[again\\], led by Ana \\*Star\\* Lima.\n* Incident declared: DB\\_1 \\*down\\* \\[again\\]\n* Incident resolved\n",
            markdown);
    }

    [Fact]
    public async Task A_custom_template_changes_the_slack_posts_and_the_file_alike()
    {
        var template = TemplateFile("""
            # Review of {{ reference }}: {{ title_line }}

            **Owner:** {{ leader }} · See [the runbook](https://runbooks.example.com/checkout?a=1&b=2).

            ---

            ## What broke

            {{ title }}, declared {{ declared_at }}. {{ description }}

            ### Minute by minute

            {% for entry in timeline %}1. `{{ entry.time }}` {{ entry.author }} said _{{ entry.text }}_
            {% endfor %}
            ## Follow-ups

            {% for entry in corrective_actions %}- {{ entry.text }}
            {% else %}*None yet:* add them.
            {% endfor %}
            """);
        await using var testbed = await StartWithTemplateAsync(template);
        var ops = testbed.ChannelId("ops");

        // As Slack sends what was typed: its three characters escaped, @channel as a token.
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start DB_1 down &lt;again&gt; & more");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "describe <!channel> saw 5xx &gt; 1%");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "close");
        await testbed.SettleAsync();

        var markdown = PublishedDraft.Markdown(testbed);
        Assert.StartsWith("# Review of INC-1: 2017-09-21 - DB\\_1 down \\<again\\> & more\n", markdown, StringComparison.Ordinal);
        Assert.Contains("## What broke\n\nDB\\_1 down \\<again\\> & more, declared 2017-09-21 06:00 UTC. @channel saw 5xx \\> 1%\n", markdown, StringComparison.Ordinal);
        Assert.Contains("### Minute by minute\n\n1. `2017-09-21 06:00 UTC` Ana \\*Star\\* Lima said _Incident declared: DB\\_1 down \\<again\\> & more_\n", markdown, StringComparison.Ordinal);
        Assert.Contains("## Follow-ups\n\n*None yet:* add them.\n", markdown, StringComparison.Ordinal);

        var post = Assert.Single(testbed.Slack.Workspace.Messages(testbed.PostmortemChannel), m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal));
        var blocks = post.Blocks!.Value.EnumerateArray().Select(b => b.GetProperty("type").GetString()).ToList();
        Assert.Equal(["header", "section", "divider", "section", "section", "section"], blocks);
        Assert.Equal(
            "Review of INC-1: 2017-09-21 - DB_1 down <again> & more\n" +
            "*Owner:* Ana *Star* Lima · See <https://runbooks.example.com/checkout?a=1&amp;b=2|the runbook>.\n" +
            "*What broke*\nDB_1 down &lt;again&gt; &amp; more, declared 2017-09-21 06:00 UTC. @channel saw 5xx &gt; 1%\n" +
            "*Minute by minute*\n" +
            "1. `2017-09-21 06:00 UTC` Ana *Star* Lima said _Incident declared: DB_1 down &lt;again&gt; &amp; more_\n" +
            "2. `2017-09-21 06:00 UTC` Ana *Star* Lima said _Description set: @channel saw 5xx &gt; 1%_\n" +
            "3. `2017-09-21 06:00 UTC` Ana *Star* Lima said _Incident resolved_\n" +
            "*Follow-ups*\n_None yet:_ add them.",
            PublishedDraft.SlackText(testbed));
        Assert.DoesNotContain("Contributing Factor(s)", PublishedDraft.SlackText(testbed), StringComparison.Ordinal);
        Assert.DoesNotContain("<!", PublishedDraft.SlackText(testbed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% for entry in %}{{ entry }}{% endfor %}")]
    [InlineData("line one\nline two {{ title_line \n")]
    [InlineData("{% if severity %}never closed")]
    public void A_broken_template_stops_the_app_at_start_with_its_error(string content)
    {
        var path = TemplateFile(content);
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Incidents:PostmortemTemplate", path)));

        var problem = Assert.Single(problems);

        Assert.StartsWith($"Incidents:PostmortemTemplate '{path}' is not a valid Liquid template:", problem, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+:\d+\)", problem);
    }

    [Fact]
    public void A_template_file_that_does_not_exist_is_named()
    {
        Assert.False(IncidentBot.PostMortems.PostMortemTemplate.TryLoad("/nowhere/template.liquid", out _, out var error));
        Assert.Equal("Incidents:PostmortemTemplate '/nowhere/template.liquid' does not exist.", error);
    }
}
