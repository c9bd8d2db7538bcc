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

    [Fact]
    public async Task A_custom_template_is_used_with_user_text_escaped_for_markdown()
    {
        var template = TemplateFile("Custom: {{ title_line }}, led by {{ leader }}.\n{% for e in timeline %}* {{ e.text }}\n{% endfor %}");
        await using var testbed = await SlackTestbed.StartAsync(Clock.AtSeedIncident(), options =>
        {
            options.InDeclaringChannel();
            options.Settings["Incidents:PostmortemTemplate"] = template;
            return options;
        });
        testbed.Slack.Workspace.AddUser(Ana, "ana", "Ana *Star* Lima");
        var ops = testbed.Slack.Workspace.CreateChannel("ops", false, Ana, testbed.Slack.Options.BotUserId).Id;

        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start DB_1 *down* [again]");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "close");
        await testbed.SettleAsync();

        var markdown = await testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync());
        Assert.Equal(
            "Custom: 2017-09-21 - DB\\_1 \\*down\\* \\[again\\], led by Ana \\*Star\\* Lima.\n* Incident declared: DB\\_1 \\*down\\* \\[again\\]\n* Incident resolved\n",
            markdown);
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
