using System.Net;
using System.Text.Json;
using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.PostMortems;

/// <summary>The seed incident, end to end, to its published draft: checked line by line against a golden file.</summary>
public sealed class SeedPostMortemTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 19, 13, 0, 0, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync() =>
        _testbed = await SlackTestbed.StartAsync(_time, options => options.InDeclaringChannel());

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task<ScenarioRun> PlaySeedAsync() =>
        await new ScenarioPlayer(_testbed.Slack, _time.SetUtcNow).PlayAsync(SeedIncident.Create(), afterStep: async (_, _) => await _testbed.SettleAsync());

    [Fact]
    public async Task The_seed_incident_compiles_to_the_expected_draft_line_by_line()
    {
        await PlaySeedAsync();

        var markdown = await _testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync());

        await AssertIsTheGoldenDraftAsync(markdown);
    }

    /// <summary>Line by line against <c>seed-postmortem.expected.md</c>; a differing draft is left beside it as <c>.actual.md</c>.</summary>
    internal static async Task AssertIsTheGoldenDraftAsync(string markdown)
    {
        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "PostMortems", "seed-postmortem.expected.md"));

        if (markdown != expected.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            // Left for a maintainer to diff, and to copy over the golden file once the change is reviewed.
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "PostMortems", "seed-postmortem.actual.md"), markdown);
        }

        var actualLines = markdown.Split('\n');
        var expectedLines = expected.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < Math.Max(actualLines.Length, expectedLines.Length); i++)
        {
            Assert.True(
                i < actualLines.Length && i < expectedLines.Length && actualLines[i] == expectedLines[i],
                $"Line {i + 1} differs.\nExpected: {(i < expectedLines.Length ? expectedLines[i] : "(end)")}\nActual:   {(i < actualLines.Length ? actualLines[i] : "(end)")}");
        }
    }

    [Fact]
    public async Task The_draft_is_published_once_as_messages_a_markdown_file_and_a_link()
    {
        var run = await PlaySeedAsync();

        var drafts = _testbed.Slack.Workspace.Messages(_testbed.PostmortemChannel).Where(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal)).ToList();
        var draft = Assert.Single(drafts);
        Assert.Equal("Post-mortem draft: 2017-09-20 - Consumer app outage", draft.Text);
        var file = Assert.Single(_testbed.Slack.Workspace.Files);
        Assert.Equal("postmortem-2017-09-20-consumer-app-outage.md", file.Name);
        Assert.Equal(await _testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync()), file.ContentAsString);
        var link = Assert.Single(_testbed.Slack.Workspace.Messages(run.ChannelId), m => m.Text.Contains("post-mortem draft of INC-1 is ready", StringComparison.Ordinal));
        Assert.Contains(draft.Ts.Replace(".", "", StringComparison.Ordinal), link.Text, StringComparison.Ordinal);
        Assert.NotNull(await _testbed.QueryAsync(db => db.PostMortems.Select(p => p.PublishedAt).SingleAsync()));
    }

    [Fact]
    public async Task The_slack_message_says_what_the_file_says_with_times_in_utc()
    {
        await PlaySeedAsync();

        var post = _testbed.Slack.Calls.For("chat.postMessage").First(c => c.Argument("channel") == _testbed.PostmortemChannel);
        using var blocks = JsonDocument.Parse(post.Argument("blocks")!);
        var text = string.Join("\n", blocks.RootElement.EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "section")
            .Select(b => b.GetProperty("text").GetProperty("text").GetString()));
        Assert.Equal("2017-09-20 - Consumer app outage", blocks.RootElement[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("*Timeline*\nAll times are UTC.\n• 2017-09-19 14:00 UTC — Henry Clifford: Major release is live in production", text, StringComparison.Ordinal);
        Assert.Contains("*Contributing Factor(s)*\n• The migration deprecated some enums: Mongo no longer had them", text, StringComparison.Ordinal);
        Assert.Contains("*Impact*\nImpact lasted 16 h 55 min, from 2017-09-19 14:00 UTC (started, set by hand) to 2017-09-20 06:55 UTC (resolved, measured: closed).\n• Started: 2017-09-19 14:00 UTC (set by hand)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stored_draft_is_served_and_unknown_ids_are_404()
    {
        await PlaySeedAsync();

        using var found = await _testbed.Bot.Management.GetAsync("incidents/1/postmortem.md");
        using var missing = await _testbed.Bot.Management.GetAsync("incidents/2/postmortem.md");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("text/markdown", found.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("# 2017-09-20 - Consumer app outage\n", await found.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
