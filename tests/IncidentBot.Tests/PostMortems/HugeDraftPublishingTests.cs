using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake.WebApi;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.PostMortems;

/// <summary>
/// Issue 14: a 10,000-entry draft, against a fake Slack that enforces chat.postMessage's pace per channel (429 with
/// Retry-After): it goes out whole, part by part in order, each once, paced so that Slack hardly ever refuses one.
/// </summary>
public sealed class HugeDraftPublishingTests(Xunit.Abstractions.ITestOutputHelper output) : OpsChannelTestBase(TestPeople.Ana)
{
    private const int Entries = 10_000;
    private const int Authors = 40;

    [Fact]
    public async Task A_ten_thousand_entry_draft_is_published_whole_in_order_once_and_paced_within_slacks_limit()
    {
        Testbed.Slack.Options.PostingRateLimit = PostingRateLimit.Slack;
        for (var a = 0; a < Authors; a++)
        {
            Testbed.Slack.Workspace.AddUser(Author(a), $"responder{a}", $"Responder {a}");
        }

        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.SettleAsync();
        var incidentId = await Testbed.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
        await SeedAsync(incidentId);
        Time.Advance(TimeSpan.FromMinutes(30));
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        await Testbed.Bot.Jobs.RunOnlyAsync<EchoTimelineEntryJob>();

        await Time.AdvanceUntilDoneAsync(Testbed.SettleAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));

        var calls = Testbed.Slack.Calls.For("chat.postMessage").Where(c => c.Argument("channel") == Testbed.PostmortemChannel).ToList();
        var posts = calls.Where(c => c.Ok == true).ToList();
        var refused = calls.Count(c => c.StatusCode == 429);
        output.WriteLine($"{Entries:N0} entries: {posts.Count} messages over {(posts[^1].Time - posts[0].Time).TotalSeconds:F0} s of Slack's clock, {refused} refused (429)");
        Assert.True(posts.Count > 50, $"{posts.Count} messages");
        Assert.InRange(refused, 0, 2);
        Assert.Equal(calls.Count, posts.Count + refused);

        // Every part once, in order: "Part k of n" k = 1..n, and Slack holds exactly those messages.
        var blocks = posts.Select(p => p.Argument("blocks")!).ToList();
        Assert.All(blocks.Select((b, i) => (b, i)), p => Assert.Contains($"\"Part {p.i + 1} of {posts.Count}\"", p.b, StringComparison.Ordinal));
        Assert.Equal(posts.Count, Testbed.Slack.Workspace.Messages(Testbed.PostmortemChannel).Count(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal)));
        Assert.Equal(posts.Count, posts.Select(p => JsonDocument.Parse(p.ResponseBody).RootElement.GetProperty("ts").GetString()).Distinct().Count());

        // Paced: after the short burst, about a second apart.
        Assert.True(posts[^1].Time - posts[0].Time >= TimeSpan.FromSeconds(posts.Count - ChannelPostPacer.Burst - 1), $"{posts.Count} posts in {posts[^1].Time - posts[0].Time}");

        // Nothing cut silently: each entry, and its long text whole, in the messages and in the file, in order.
        var sections = string.Join("\n", blocks.SelectMany(b => JsonDocument.Parse(b).RootElement.EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "section").Select(block => block.GetProperty("text").GetProperty("text").GetString()!)));
        AssertEveryEntryInOrder(sections, "messages");
        Assert.Equal(Entries / 1000, Regex.Count(sections, Regex.Escape(LongTail)));
        var file = Assert.Single(Testbed.Slack.Workspace.Files).ContentAsString;
        AssertEveryEntryInOrder(file, "file");
        Assert.Equal(Entries / 1000, Regex.Count(file, Regex.Escape(LongTail)));
        Assert.Contains("Responder 39", file, StringComparison.Ordinal);
    }

    private const string LongTail = "and that was the end of the long story.";

    private static string Author(int a) => string.Create(CultureInfo.InvariantCulture, $"U0RESP{a:D4}");

    private static string Marker(int i) => string.Create(CultureInfo.InvariantCulture, $"Entry {i:D5} says");

    private static void AssertEveryEntryInOrder(string text, string where)
    {
        var positions = Enumerable.Range(1, Entries).Select(i => text.IndexOf(Marker(i), StringComparison.Ordinal)).ToList();
        var missing = positions.IndexOf(-1);
        Assert.True(missing < 0, $"entry {missing + 1} is missing from the {where}");
        Assert.Equal(positions.Order(), positions);
    }

    /// <summary>Timeline first, then the other sections in the template's order, so the draft reads the entries in number order.</summary>
    private async Task SeedAsync(int incidentId)
    {
        await Testbed.QueryAsync(async db =>
        {
            var start = Time.GetUtcNow().UtcDateTime;
            for (var i = 1; i <= Entries; i++)
            {
                var section = i switch
                {
                    <= 7000 => TimelineSection.Timeline,
                    <= 8000 => TimelineSection.ContributingFactors,
                    <= 9000 => TimelineSection.StabilizationSteps,
                    _ => TimelineSection.CorrectiveActions,
                };
                var text = $"{Marker(i)} <@{Author((i + 1) % Authors)}> saw 5xx &lt; 1% &amp; p99 &gt; 2s *again*";
                if (i % 1000 == 0)
                {
                    text += " " + string.Concat(Enumerable.Repeat("a long story of what happened next, ", 200)) + LongTail;
                }

                db.TimelineEntries.Add(new TimelineEntry
                {
                    IncidentId = incidentId, Kind = EntryKind.Message, Section = section, AuthorUserId = Author(i % Authors),
                    OccurredAt = start.AddSeconds(i), RecordedAt = start, Text = text, SourceChannelId = Ops,
                    SourceTs = string.Create(CultureInfo.InvariantCulture, $"{1505973600 + i}.000000"),
                });
            }

            return await db.SaveChangesAsync();
        });
    }
}
