using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Slack.SocketMode;

/// <summary>
/// The whole seed incident (start, messages, pins, un-pins, commands, close, draft) over Socket Mode gives the same
/// record as over HTTP. Played on the real clock (the idle watchdog of a socket must not see fake hours pass), so the
/// comparison leaves out the instants and keeps everything else: order, kinds, sections, authors, texts, the draft.
/// </summary>
public sealed class SeedIncidentOverSocketModeTests
{
    private static async Task<(List<string> Entries, string Draft, int DraftMessages)> PlaySeedAsync(BotTransport transport)
    {
        await using var testbed = await SlackTestbed.StartAsync(configure: options => options.InDeclaringChannel(), transport: transport);
        var run = await new ScenarioPlayer(testbed.Slack, _ => { }).PlayAsync(SeedIncident.Create(), afterStep: async (_, _) => await testbed.SettleAsync());

        var entries = await testbed.QueryAsync(db => db.TimelineEntries.OrderBy(e => e.Section).ThenBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => $"{e.Section} {e.Kind} {e.AuthorUserId} {e.Pending} {e.Text}").ToListAsync());
        var draft = await testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync());
        var messages = testbed.Slack.Workspace.Messages(testbed.PostmortemChannel).Count(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal));
        Assert.All(run.Commands, c => Assert.Equal(200, c.StatusCode));
        return (entries, Mask(draft), messages);
    }

    /// <summary>Instants and durations differ between two real-time runs; nothing else may.</summary>
    internal static string Mask(string markdown) =>
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(markdown, @"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<time>"),
            @"(Duration: |: |lasted (?:at least )?|time to \w+ )(under a minute|\d+ (min|h \d\d min|d \d+ h \d\d min))", "$1<duration>");

    [Fact]
    public async Task The_seed_incident_over_socket_mode_records_and_drafts_exactly_what_http_does()
    {
        var overHttp = await PlaySeedAsync(BotTransport.Http);
        var overSocketMode = await PlaySeedAsync(BotTransport.SocketMode);

        Assert.Equal(18, overHttp.Entries.Count); // 14 on the timeline, 1 factor, 1 step, 2 actions
        Assert.Equal(overHttp.Entries, overSocketMode.Entries);
        Assert.Equal(overHttp.Draft, overSocketMode.Draft);
        Assert.Equal((1, 1), (overHttp.DraftMessages, overSocketMode.DraftMessages));
        Assert.Contains("Confirmed: the consumer app works again.", overSocketMode.Draft, StringComparison.Ordinal);
    }
}
