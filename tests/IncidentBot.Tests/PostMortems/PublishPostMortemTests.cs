using System.Net;
using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.Incidents.Jobs;
using IncidentBot.PostMortems;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.PostMortems;

/// <summary>Publishing a closed incident's draft: within Slack's limits, exactly once whatever fails.</summary>
public sealed class PublishPostMortemTests(Xunit.Abstractions.ITestOutputHelper output) : OpsChannelTestBase(TestPeople.Ana)
{
    private async Task<int> StartAsync(string title = "Checkout down")
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "start " + title);
        await Testbed.SettleAsync();
        return await Testbed.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
    }

    private async Task CloseAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(30));
        var closed = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        Assert.Contains("Closed INC-1", closed.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        await Testbed.Bot.Jobs.RunOnlyAsync<EchoTimelineEntryJob>();
    }

    private List<IncidentBot.SlackFake.Workspace.FakeMessage> Drafts() =>
        [.. Testbed.Slack.Workspace.Messages(Testbed.PostmortemChannel).Where(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal))];

    [Fact]
    public async Task A_five_thousand_entry_incident_is_split_within_slacks_limits_and_loses_no_entry()
    {
        var incidentId = await StartAsync();
        await Testbed.QueryAsync(async db =>
        {
            var start = Time.GetUtcNow().UtcDateTime;
            for (var i = 1; i <= 5000; i++)
            {
                // Stored as Slack sends message text: with its three characters escaped.
                var text = i == 2500 ? "A very long message: " + string.Concat(Enumerable.Repeat("all &amp; every &lt;thing&gt; ", 400)) : $"Entry {i:D4}: 5xx &lt; 1% &amp; latency &gt; 2s";
                db.TimelineEntries.Add(new TimelineEntry
                {
                    IncidentId = incidentId, Kind = EntryKind.Message, Section = TimelineSection.Timeline, AuthorUserId = Ana,
                    OccurredAt = start.AddSeconds(i), RecordedAt = start, Text = text, SourceChannelId = Ops, SourceTs = $"{1505887200 + i}.000000",
                });
            }

            return await db.SaveChangesAsync();
        });
        await CloseAsync();

        // The draft's messages are paced (a second apart after a short burst), on the test's clock.
        await Time.AdvanceUntilDoneAsync(Testbed.SettleAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        var posts = Testbed.Slack.Calls.For("chat.postMessage").Where(c => c.Argument("channel") == Testbed.PostmortemChannel).ToList();
        Assert.True(posts.Count > 10, $"{posts.Count} messages");
        Assert.All(posts, p => Assert.True(p.Ok, p.Error));
        var sections = new List<string>();
        for (var i = 0; i < posts.Count; i++)
        {
            using var blocks = JsonDocument.Parse(posts[i].Argument("blocks")!);
            var texts = blocks.RootElement.EnumerateArray().Select(b => b.GetProperty(b.GetProperty("type").GetString() == "context" ? "elements" : "text")).ToList();
            Assert.InRange(blocks.RootElement.GetArrayLength(), 1, 50);
            var sectionTexts = blocks.RootElement.EnumerateArray().Where(b => b.GetProperty("type").GetString() == "section").Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToList();
            Assert.All(sectionTexts, t => Assert.InRange(t.Length, 1, 3000));
            Assert.InRange(sectionTexts.Sum(t => t.Length), 1, 12_000);
            Assert.Contains($"Part {i + 1} of {posts.Count}", posts[i].Argument("blocks")!, StringComparison.Ordinal);
            sections.AddRange(sectionTexts);
        }

        output.WriteLine($"5,000 entries: {posts.Count} messages, {sections.Count} sections, at most {posts.Max(p => JsonDocument.Parse(p.Argument("blocks")!).RootElement.GetArrayLength())} blocks a message");
        var all = string.Join("\n", sections);
        var positions = Enumerable.Range(1, 5000).Where(i => i != 2500).Select(i => all.IndexOf($"Entry {i:D4}: 5xx &lt; 1% &amp; latency &gt; 2s", StringComparison.Ordinal)).ToList();
        Assert.True(!positions.Contains(-1), $"missing entry {Enumerable.Range(1, 5000).Where(i => i != 2500).ElementAtOrDefault(positions.IndexOf(-1))}; {sections.Count} sections");
        Assert.Equal(positions.Order(), positions);
        // The 8,000-character message is cut at spaces into section-sized pieces: no word and no escape is cut or lost.
        Assert.Equal(400, System.Text.RegularExpressions.Regex.Count(all, @"(?<![a-z])all\s&amp;"));
        Assert.Equal(400, System.Text.RegularExpressions.Regex.Count(all, "&lt;thing&gt;"));

        var file = Assert.Single(Testbed.Slack.Workspace.Files).ContentAsString;
        Assert.Equal(4999, System.Text.RegularExpressions.Regex.Count(file, @"Entry \d{4}: 5xx \\< 1% & latency \\> 2s"));
        Assert.Contains("A very long message: all & every \\<thing\\>", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_before_success_still_post_exactly_one_draft()
    {
        await StartAsync();
        await CloseAsync();
        Testbed.Slack.Faults.Enqueue("chat.postMessage", [Fault.RateLimited(20), Fault.RateLimited(20), Fault.ServerError(500), Fault.ServerError(500)]);

        await Time.AdvanceUntilDoneAsync(Testbed.Bot.Jobs.RunAllAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        Assert.Single(Drafts());
        Assert.Equal(0, Testbed.Slack.Faults.Pending("chat.postMessage"));
        Assert.NotNull(await Testbed.QueryAsync(db => db.PostMortems.Select(p => p.PublishedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_lost_response_after_the_draft_landed_still_leaves_one_draft()
    {
        await StartAsync();
        await CloseAsync();
        Testbed.Slack.Faults.Enqueue("chat.postMessage", Fault.LostResponse());

        await Testbed.SettleAsync();

        var draft = Assert.Single(Drafts());
        var part = await Testbed.QueryAsync(db => db.Outbox.SingleAsync(p => p.Key == PublishPostMortemJob.OutboxKey(1, "message-1")));
        Assert.Equal(draft.Ts, part.SlackId);
    }

    [Fact]
    public async Task A_restart_between_close_and_publish_publishes_once_after_it()
    {
        await StartAsync();
        await CloseAsync();

        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();

        Assert.Single(Drafts());
        Assert.Single(Testbed.Slack.Workspace.Files);
    }

    [Fact]
    public async Task A_publication_that_fails_half_way_resumes_without_repeating_a_part()
    {
        await StartAsync();
        await CloseAsync();
        Testbed.Slack.Faults.Enqueue("files.getUploadURLExternal", Fault.Error("not_in_channel"));

        await Assert.ThrowsAnyAsync<Exception>(() => Testbed.Bot.Jobs.RunAllAsync());
        Assert.Single(Drafts());
        Assert.Empty(Testbed.Slack.Workspace.Files);
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();

        Assert.Single(Drafts());
        Assert.Single(Testbed.Slack.Workspace.Files);
        Assert.Equal(["postmortem/1/file", "postmortem/1/link", "postmortem/1/message-1"], await Testbed.QueryAsync(db => db.Outbox.Where(p => p.Key.StartsWith("postmortem/") && p.SentAt != null).Select(p => p.Key).OrderBy(p => p).ToListAsync()));
    }

    [Fact]
    public async Task A_file_share_whose_answer_was_lost_is_found_in_the_thread_not_shared_twice()
    {
        await StartAsync();
        await CloseAsync();
        Testbed.Slack.Faults.Enqueue("files.completeUploadExternal", Fault.LostResponse());

        await Assert.ThrowsAnyAsync<Exception>(() => Testbed.Bot.Jobs.RunAllAsync());
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();

        var shares = Testbed.Slack.Workspace.Messages(Testbed.PostmortemChannel).Where(m => m.Subtype == "file_share").ToList();
        var file = Assert.Single(Assert.Single(shares).Files);
        Assert.Equal(1, Testbed.Slack.Calls.Count("files.completeUploadExternal"));
        Assert.Equal(file.Id, await Testbed.QueryAsync(db => db.Outbox.Where(p => p.Key == PublishPostMortemJob.OutboxKey(1, "file")).Select(p => p.SlackId).SingleAsync()));
        Assert.NotNull(await Testbed.QueryAsync(db => db.PostMortems.Select(p => p.PublishedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_failed_publish_never_blocks_or_undoes_the_close()
    {
        await StartAsync();
        Testbed.Slack.Faults.SetPersistent("chat.postMessage", Fault.Error("channel_not_found"));

        Time.Advance(TimeSpan.FromMinutes(5));
        var closed = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "close");
        await Assert.ThrowsAnyAsync<Exception>(() => Testbed.Bot.Jobs.RunOnlyAsync<PublishPostMortemJob>());

        Assert.Equal(200, closed.StatusCode);
        Assert.Equal(IncidentStatus.Closed, (await Testbed.QueryAsync(db => db.Incidents.SingleAsync())).Status);
        using var draft = await Testbed.Bot.Management.GetAsync("incidents/1/postmortem.md");
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Null(await Testbed.QueryAsync(db => db.PostMortems.Select(p => p.PublishedAt).SingleAsync()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_draft_channel_the_bot_is_not_in_is_joined_or_explained_and_the_draft_goes_out_once_it_can(bool isPrivate)
    {
        var drafts = "";
        await using var testbed = await SlackTestbed.StartAsync(
            Time,
            options =>
            {
                options.InDeclaringChannel();
                options.Settings["Incidents:PostmortemChannel"] = drafts;
                return options;
            },
            configureSlack: slack =>
            {
                slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
                drafts = slack.Workspace.CreateChannel("drafts", isPrivate, Ana).Id;
            });
        var ops = testbed.Slack.Workspace.CreateChannel("ops", false, Ana, testbed.Slack.Options.BotUserId).Id;
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start Checkout down");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "close");

        if (isPrivate)
        {
            // Two failing runs (the second after a restart re-queued it, as a Hangfire retry would): one explanation, no draft.
            await Assert.ThrowsAnyAsync<Exception>(() => testbed.Bot.Jobs.RunAllAsync());
            await testbed.RestartBotAsync();
            await testbed.Bot.Jobs.RunOnlyAsync<SweepUnfinishedWorkJob>();
            await Assert.ThrowsAnyAsync<Exception>(() => testbed.Bot.Jobs.RunOnlyAsync<PublishPostMortemJob>());
            var warning = Assert.Single(testbed.Slack.Workspace.Messages(ops), m => m.Text.Contains("cannot post it in the draft channel", StringComparison.Ordinal));
            Assert.Contains("/incidents/1/postmortem.md", warning.Text, StringComparison.Ordinal);

            testbed.Slack.Workspace.JoinChannel(testbed.Slack.Options.BotUserId, drafts);
            await testbed.RestartBotAsync();
        }

        await testbed.SettleAsync();

        Assert.Single(testbed.Slack.Workspace.Messages(drafts), m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal));
        Assert.Contains(testbed.Slack.Options.BotUserId, testbed.Slack.Workspace.GetChannel(drafts).Members);
        Assert.Equal(isPrivate ? 1 : 0, testbed.Slack.Workspace.Messages(ops).Count(m => m.Text.Contains("cannot post it", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Café down", "postmortem-2017-09-21-cafe-down.md")]
    [InlineData("🔥🔥🔥", "postmortem-2017-09-21-inc-1.md")]
    public async Task The_file_is_named_by_the_title_in_ascii_or_else_by_the_incident_number(string title, string expected)
    {
        await StartAsync(title);
        await CloseAsync();

        await Testbed.SettleAsync();

        Assert.Equal(expected, Assert.Single(Testbed.Slack.Workspace.Files).Name);
    }

    [Fact]
    public async Task A_canvas_is_created_once_when_configured()
    {
        await using var testbed = await SlackTestbed.StartInChannelAsync(Time, "ops", [Ana], options =>
        {
            options.Settings["Incidents:PostmortemCanvas"] = "true";
            return options;
        });
        var ops = testbed.ChannelId("ops");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "start Checkout down");
        await testbed.Slack.Driver.SendSlashCommandAsync(Ana, ops, "/incident", "close");

        await testbed.SettleAsync();

        var canvas = Assert.Single(testbed.Slack.Workspace.Canvases);
        Assert.StartsWith("# 2017-09-21 - Checkout down", canvas.Markdown, StringComparison.Ordinal);
    }
}
