using System.Net;
using IncidentBot.PostMortems;
using IncidentBot.SlackFake.Faults;
using IncidentBot.SlackFake.Workspace;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.PostMortems;

/// <summary>Reopening a closed incident and publishing revised drafts: one draft per version, the previous one marked superseded.</summary>
public sealed class DraftVersionsTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private async Task<string> CommandAsync(string text)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(text.StartsWith("start", StringComparison.Ordinal) ? "in_channel" : "ephemeral", result.Json!.Value.GetProperty("response_type").GetString());
        return result.Json!.Value.GetProperty("text").GetString()!;
    }

    private async Task<string> SayAndPinAsync(string user, string text)
    {
        Time.Advance(TimeSpan.FromSeconds(30));
        var posted = await Testbed.Slack.Driver.PostMessageAsync(user, Ops, text);
        await Testbed.Slack.Driver.AddReactionAsync(Ana, Ops, posted.Ts, "pushpin");
        return posted.Ts;
    }

    /// <summary>Declared, one message pinned, closed, and its first draft published.</summary>
    private async Task StartPinAndCloseAsync()
    {
        await CommandAsync("start Checkout down");
        await Testbed.SettleAsync();
        await SayAndPinAsync(Ben, "db primary at 100% cpu");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(30));
        await CommandAsync("close");
        await Testbed.SettleAsync();
        Assert.Single(Drafts());
    }

    private async Task ReopenAndCloseAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains("Reopened INC-1", await CommandAsync("reopen"), StringComparison.Ordinal);
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains("Closed INC-1", await CommandAsync("close"), StringComparison.Ordinal);
    }

    /// <summary>The first message of each version in the draft channel, oldest first.</summary>
    private List<FakeMessage> Drafts() =>
        [.. Testbed.Slack.Workspace.Messages(Testbed.PostmortemChannel).Where(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal))];

    private async Task<string> GetDraftAsync(string query = "")
    {
        using var response = await Testbed.Bot.Management.GetAsync("incidents/1/postmortem.md" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>chat.update of the draft's messages (the incident card, updated in its own channel, is not one).</summary>
    private int DraftUpdates() => Testbed.Slack.Calls.For("chat.update").Count(c => c.Argument("channel") == Testbed.PostmortemChannel);

    [Fact]
    public async Task Reopen_a_new_pin_and_close_publish_exactly_two_drafts_the_first_superseded_the_second_with_the_new_pin_and_the_old_one()
    {
        // Arrange: a published draft, then, while the incident is closed, a message posted and pinned.
        await StartPinAndCloseAsync();
        await SayAndPinAsync(Ben, "rolled back the deploy");
        await Testbed.SettleAsync();

        // Act
        await ReopenAndCloseAsync();
        await Testbed.SettleAsync();

        // Assert: two drafts; the first says, in place, that version 2 replaces it, and links to it.
        var drafts = Drafts();
        Assert.Equal(2, drafts.Count);
        Assert.Contains("superseded by version 2", drafts[0].Text, StringComparison.Ordinal);
        var permalink = $"/archives/{Testbed.PostmortemChannel}/p{drafts[1].Ts.Replace(".", "", StringComparison.Ordinal)}";
        Assert.Contains(permalink, drafts[0].Blocks!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.NotNull(drafts[0].Edited);
        Assert.Equal(1, DraftUpdates());
        Assert.Contains("(version 2)", drafts[1].Text, StringComparison.Ordinal);
        Assert.Null(drafts[1].Edited);
        var blocks2 = drafts[1].Blocks!.Value.GetRawText();
        Assert.Contains("rolled back the deploy", blocks2, StringComparison.Ordinal);
        Assert.Contains("db primary at 100% cpu", blocks2, StringComparison.Ordinal);

        // Each version has its file; the endpoint serves the latest, and ?version=1 the first.
        var files = Testbed.Slack.Workspace.Files.Select(f => f.Name).Order().ToList();
        Assert.Equal(["postmortem-2017-09-21-checkout-down-v2.md", "postmortem-2017-09-21-checkout-down.md"], files);
        var latest = await GetDraftAsync();
        Assert.Contains("rolled back the deploy", latest, StringComparison.Ordinal);
        Assert.Contains("db primary at 100% cpu", latest, StringComparison.Ordinal);
        Assert.Equal(latest, await GetDraftAsync("?version=2"));
        var first = await GetDraftAsync("?version=1");
        Assert.Contains("db primary at 100% cpu", first, StringComparison.Ordinal);
        Assert.DoesNotContain("rolled back the deploy", first, StringComparison.Ordinal);
        Assert.Equal(2, Testbed.Slack.Workspace.Messages(Ops).Count(m => m.Text.Contains("post-mortem draft of INC-1 is ready for review", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_version_that_does_not_exist_is_not_found()
    {
        await StartPinAndCloseAsync();

        using var response = await Testbed.Bot.Management.GetAsync("incidents/1/postmortem.md?version=2");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("versions are 1 to 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_between_two_versions_parts_publishes_each_part_once()
    {
        // Arrange: version 2's first message goes out, then its file share fails and the bot is restarted.
        await StartPinAndCloseAsync();
        await ReopenAndCloseAsync();
        Testbed.Slack.Faults.Enqueue("files.getUploadURLExternal", Fault.Error("not_in_channel"));
        await Assert.ThrowsAnyAsync<Exception>(() => Testbed.Bot.Jobs.RunAllAsync());
        Assert.Equal(2, Drafts().Count);
        Assert.Single(Testbed.Slack.Workspace.Files);

        // Act
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();

        // Assert
        Assert.Equal(2, Drafts().Count);
        Assert.Equal(2, Testbed.Slack.Workspace.Files.Count);
        Assert.Equal(1, DraftUpdates());
        Assert.Equal(2, Testbed.Slack.Workspace.Messages(Ops).Count(m => m.Text.Contains("is ready for review", StringComparison.Ordinal)));
        Assert.Equal(
            ["postmortem/1/superseded", "postmortem/1/v2/file", "postmortem/1/v2/link", "postmortem/1/v2/message-1"],
            await Testbed.QueryAsync(db => db.Outbox.Where(p => p.Key.StartsWith("postmortem/1/") && p.SentAt != null && (p.Key.Contains("/v2/") || p.Key.EndsWith("superseded")))
                .Select(p => p.Key).OrderBy(p => p).ToListAsync()));
        Assert.All(await Testbed.QueryAsync(db => db.PostMortems.ToListAsync()), p => Assert.NotNull(p.PublishedAt));
    }

    [Fact]
    public async Task A_reopened_incident_closed_again_before_a_restart_still_gets_its_revised_draft()
    {
        // Arrange: the close's queued publication is forgotten in a restart.
        await StartPinAndCloseAsync();
        await ReopenAndCloseAsync();

        // Act
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();

        // Assert: the sweep knows the close came after the latest version.
        Assert.Equal(2, Drafts().Count);
        Assert.Equal(2, await Testbed.QueryAsync(db => db.PostMortems.CountAsync()));
    }

    [Fact]
    public async Task Publish_with_no_change_since_the_last_version_says_so_and_posts_nothing()
    {
        await StartPinAndCloseAsync();
        var posts = Testbed.Slack.Calls.Count("chat.postMessage");

        var reply = await CommandAsync("publish");
        await Testbed.SettleAsync();

        Assert.Contains("since version 1 of its draft, so nothing was posted", reply, StringComparison.Ordinal);
        Assert.Contains("changed nothing", reply, StringComparison.Ordinal);
        Assert.Equal(posts, Testbed.Slack.Calls.Count("chat.postMessage"));
        Assert.Equal(0, DraftUpdates());
        Assert.Equal(1, await Testbed.QueryAsync(db => db.PostMortems.CountAsync()));
    }

    [Fact]
    public async Task Publish_after_an_edit_to_a_pinned_message_posts_version_two_and_supersedes_version_one()
    {
        // Arrange: the pinned message is corrected after the close.
        await StartPinAndCloseAsync();
        var pinned = await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Kind == EntryKind.Message).Select(e => e.SourceTs!).SingleAsync());
        await Testbed.Slack.Driver.EditMessageAsync(Ben, Ops, pinned, "db primary at 100% cpu (replica fine)");
        await Testbed.SettleAsync();

        // Act
        var reply = await CommandAsync("publish");
        await Testbed.SettleAsync();

        // Assert
        Assert.Contains("Publishing version 2 of the draft of INC-1", reply, StringComparison.Ordinal);
        var drafts = Drafts();
        Assert.Equal(2, drafts.Count);
        Assert.Contains("superseded by version 2", drafts[0].Text, StringComparison.Ordinal);
        Assert.Contains("(replica fine)", drafts[1].Blocks!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("since version 2 of its draft, so nothing was posted", await CommandAsync("publish"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_on_a_live_incident_or_where_there_is_none_is_refused_and_changes_nothing()
    {
        var nowhere = await CommandAsync("publish");
        await CommandAsync("start Checkout down");
        await Testbed.SettleAsync();

        var live = await CommandAsync("publish");
        await Testbed.SettleAsync();

        Assert.Contains("There is no closed incident in this channel", nowhere, StringComparison.Ordinal);
        Assert.Contains("INC-1 *Checkout down* is live", live, StringComparison.Ordinal);
        Assert.Contains("changed nothing", live, StringComparison.Ordinal);
        Assert.Empty(Drafts());
        Assert.Equal(0, await Testbed.QueryAsync(db => db.PostMortems.CountAsync()));
    }

    [Fact]
    public async Task A_reopened_incident_captures_again_and_reads_back_what_was_said_while_it_was_closed_once()
    {
        // Arrange: closed; a message is posted (not pinned) meanwhile; the backfill is run twice (as a retry would).
        await StartPinAndCloseAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        var meanwhile = (await Testbed.Slack.Driver.PostMessageAsync(Ben, Ops, "still seeing 502s")).Ts;
        await Testbed.SettleAsync();
        Assert.False(await Testbed.QueryAsync(db => db.Messages.AnyAsync(m => m.Ts == meanwhile)));

        // Act
        Time.Advance(TimeSpan.FromMinutes(1));
        await CommandAsync("reopen");
        await Testbed.SettleAsync();
        await Testbed.QueryAsync(async db =>
        {
            var backfill = await db.ChannelBackfills.SingleAsync();
            backfill.DoneAt = null;
            return await db.SaveChangesAsync();
        });
        await Testbed.RestartBotAsync();
        await Testbed.SettleAsync();
        await Testbed.Slack.Driver.AddReactionAsync(Ana, Ops, meanwhile, "pushpin");
        var after = await SayAndPinAsync(Ben, "502s gone");
        await Testbed.SettleAsync();

        // Assert: the message from while it was closed is kept once and can be pinned with its text; capture is on again.
        Assert.Equal("still seeing 502s", await Testbed.QueryAsync(db => db.Messages.Where(m => m.Ts == meanwhile).Select(m => m.Text).SingleAsync()));
        var entries = (await Testbed.TimelineAsync(1)).Where(e => e.Kind == EntryKind.Message).Select(e => e.Text).ToList();
        Assert.Equal(["db primary at 100% cpu", "still seeing 502s", "502s gone"], entries);
        Assert.Single(await Testbed.TimelineAsync(1), e => e.Text == "Incident reopened");
        Assert.NotNull(after);
    }

    [Fact]
    public async Task A_thread_reply_pinned_while_the_incident_was_closed_is_in_the_revised_draft()
    {
        // Arrange: while closed, someone replies in the thread of the pinned message, and the reply is pinned.
        await StartPinAndCloseAsync();
        var parent = await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Kind == EntryKind.Message).Select(e => e.SourceTs!).SingleAsync());
        Time.Advance(TimeSpan.FromMinutes(1));
        var reply = await Testbed.Slack.Driver.PostMessageAsync(Ben, Ops, "it was the cron job", parent);
        await Testbed.Slack.Driver.AddReactionAsync(Ana, Ops, reply.Ts, "bulb");
        await Testbed.SettleAsync();

        // Act
        await ReopenAndCloseAsync();
        await Testbed.SettleAsync();

        // Assert
        Assert.Equal(2, Drafts().Count);
        Assert.Contains("it was the cron job", await GetDraftAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("it was the cron job", await GetDraftAsync("?version=1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_after_a_story_field_is_set_on_the_closed_incident_posts_version_two_with_it()
    {
        // Arrange
        await StartPinAndCloseAsync();
        await CommandAsync("describe Checkout returned 502 for every customer");
        await Testbed.SettleAsync();

        // Act
        var reply = await CommandAsync("publish");
        await Testbed.SettleAsync();

        // Assert
        Assert.Contains("Publishing version 2", reply, StringComparison.Ordinal);
        Assert.Equal(2, Drafts().Count);
        Assert.Contains("Checkout returned 502 for every customer", await GetDraftAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Checkout returned 502 for every customer", await GetDraftAsync("?version=1"), StringComparison.Ordinal);
    }
}
