using System.Text.Json;
using IncidentBot.Review;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Review;

/// <summary>
/// <c>/incident timeline</c>: the review modal, used as a person uses it in Slack: the command opens it (views.open with
/// the command's trigger id), buttons send block_actions, forms are pushed (views.push) and submitted (view_submission),
/// and the modal is refreshed in place (views.update). What reached Slack is asserted, then the draft it leads to.
/// </summary>
public sealed class ReviewModalTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private async Task<string> CommandAsync(string text, string user = Ana)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(user, Ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        return result.Json is { } json && json.TryGetProperty("text", out var said) ? said.GetString()! : "";
    }

    private async Task<string> SayAndPinAsync(string text, TimeSpan after)
    {
        Time.Advance(after);
        var posted = await Testbed.Slack.Driver.PostMessageAsync(Ben, Ops, text);
        await Testbed.Slack.Driver.AddReactionAsync(Ana, Ops, posted.Ts, "pushpin");
        return posted.Ts;
    }

    /// <summary>Declared at 06:00, "db primary at 100% cpu" pinned at 06:01, "rolled back the deploy" at 06:11, closed at 06:41, draft v1 out.</summary>
    private async Task StartPinTwiceAndCloseAsync()
    {
        await CommandAsync("start Checkout down");
        await Testbed.SettleAsync();
        await SayAndPinAsync("db primary at 100% cpu", TimeSpan.FromMinutes(1));
        await SayAndPinAsync("rolled back the deploy", TimeSpan.FromMinutes(10));
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(30));
        await CommandAsync("close");
        await Testbed.SettleAsync();
    }

    private async Task<ReviewModal> OpenReviewAsync(string user = Ana)
    {
        Assert.True("" == await CommandAsync("timeline", user), Testbed.Slack.Calls.Last("views.open")?.ResponseBody);
        return ReviewModal.Of(Testbed, user);
    }

    private Task<long> EntryIdAsync(string text) =>
        Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Text == text).Select(e => e.Id).SingleAsync());

    private async Task PublishFromTheModalAsync(ReviewModal modal)
    {
        await modal.ClickAsync(ReviewIds.Publish);
        Assert.Contains("Publishing version", modal.Text, StringComparison.Ordinal);
        await Testbed.SettleAsync();
    }

    private static int IndexIn(string text, string part)
    {
        var index = text.IndexOf(part, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{part}' is not in:\n{text}");
        return index;
    }

    [Fact]
    public async Task The_command_opens_a_modal_listing_every_entry_in_order_with_time_author_section_and_text()
    {
        await StartPinTwiceAndCloseAsync();

        var modal = await OpenReviewAsync();

        var open = Assert.Single(Testbed.Slack.Calls.For("views.open"));
        Assert.True(open.Ok, open.ResponseBody);
        Assert.Equal(ReviewIds.TimelineView, modal.CallbackId);
        var text = modal.Text;
        Assert.Contains("`2017-09-21 06:01` · *Ben Okoro* · Timeline\ndb primary at 100% cpu", text, StringComparison.Ordinal);
        Assert.True(IndexIn(text, "db primary at 100% cpu") < IndexIn(text, "rolled back the deploy"));
        Assert.True(IndexIn(text, "Incident declared") < IndexIn(text, "db primary"));
        Assert.Contains(ReviewIds.Publish, modal.ActionIds);
        Assert.Equal(await Testbed.QueryAsync(db => db.TimelineEntries.CountAsync()), modal.ActionIds.Count(a => a == ReviewIds.Edit));
    }

    [Fact]
    public async Task Editing_an_entrys_time_moves_it_in_the_timeline_and_the_change_is_kept_with_its_before_and_after()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        var rolledBack = await EntryIdAsync("rolled back the deploy");

        await modal.ClickAsync(ReviewIds.Edit, $"entry-{rolledBack}-actions");
        var form = ReviewModal.Of(Testbed, Ana);
        Assert.Equal(ReviewIds.EntryForm, form.CallbackId);
        form.Set(EntryForm.TimeBlock, EntryForm.TimeAction, "06:00");
        form.Set(EntryForm.TextBlock, EntryForm.TextAction, "rolled back the payments deploy");
        var submitted = await form.SubmitAsync();

        Assert.Empty(submitted.Errors);
        var review = ReviewModal.Of(Testbed, Ana);
        Assert.Equal(ReviewIds.TimelineView, review.CallbackId);
        Assert.True(IndexIn(review.Text, "rolled back the payments deploy") < IndexIn(review.Text, "db primary at 100% cpu"));
        Assert.Contains("Edited by Ana Lima", review.Text, StringComparison.Ordinal);
        Assert.Contains("First recorded as:_ rolled back the deploy", review.Text, StringComparison.Ordinal);
        var revision = await Testbed.QueryAsync(db => db.TimelineRevisions.SingleAsync());
        Assert.Equal((RevisionChange.Edited, Ana, "rolled back the deploy", "rolled back the payments deploy"), (revision.Change, revision.ByUserId, revision.BeforeText, revision.AfterText));
        Assert.Equal(new DateTime(2017, 9, 21, 6, 11, 0, DateTimeKind.Utc), revision.BeforeOccurredAt!.Value.AddTicks(-(revision.BeforeOccurredAt.Value.Ticks % TimeSpan.TicksPerMinute)));
        Assert.Equal(new DateTime(2017, 9, 21, 6, 0, 0, DateTimeKind.Utc), revision.AfterOccurredAt);

        await PublishFromTheModalAsync(review);
        var markdown = await Testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md");
        Assert.True(IndexIn(markdown, "rolled back the payments deploy") < IndexIn(markdown, "db primary at 100% cpu"));
        Assert.DoesNotContain("rolled back the deploy", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_hides_an_entry_from_the_next_version_the_modal_still_shows_it_and_restoring_brings_it_back()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        var cpu = await EntryIdAsync("db primary at 100% cpu");

        await modal.ClickAsync(ReviewIds.Remove, $"entry-{cpu}-actions");

        Assert.Contains("db primary at 100% cpu", modal.Text, StringComparison.Ordinal);
        Assert.Contains("Removed from the draft by Ana Lima", modal.Text, StringComparison.Ordinal);
        Assert.Contains($"entry-{cpu}-actions:{ReviewIds.Restore}", modal.ButtonKeys);
        await PublishFromTheModalAsync(modal);
        var second = await Testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md?version=2");
        Assert.DoesNotContain("db primary at 100% cpu", second, StringComparison.Ordinal);
        Assert.Contains("rolled back the deploy", second, StringComparison.Ordinal);
        Assert.Equal(1, await Testbed.QueryAsync(db => db.TimelineEntries.CountAsync(e => e.Id == cpu)));

        await modal.ClickAsync(ReviewIds.Restore, $"entry-{cpu}-actions");
        await PublishFromTheModalAsync(modal);
        var third = await Testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md?version=3");
        Assert.Contains("db primary at 100% cpu", third, StringComparison.Ordinal);
        var changes = await Testbed.QueryAsync(db => db.TimelineRevisions.OrderBy(r => r.Id).Select(r => r.Change).ToListAsync());
        Assert.Equal([RevisionChange.Removed, RevisionChange.Restored], changes);
    }

    [Fact]
    public async Task An_entry_added_in_review_is_in_the_draft_at_its_time_and_section()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();

        await modal.ClickAsync(ReviewIds.Add);
        var form = ReviewModal.Of(Testbed, Ana);
        form.Set(EntryForm.TextBlock, EntryForm.TextAction, "Decided on the bridge call to fail over <now> & page the DBA");
        form.Set(EntryForm.DateBlock, EntryForm.DateAction, "2017-09-21");
        form.Set(EntryForm.TimeBlock, EntryForm.TimeAction, "06:05");
        var submitted = await form.SubmitAsync();

        Assert.Empty(submitted.Errors);
        var review = ReviewModal.Of(Testbed, Ana);
        Assert.Contains("`2017-09-21 06:05` · *Ana Lima* · Timeline\nDecided on the bridge call to fail over &lt;now&gt; &amp; page the DBA", review.Text, StringComparison.Ordinal);
        await PublishFromTheModalAsync(review);
        var markdown = await Testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md");
        Assert.True(IndexIn(markdown, "db primary at 100% cpu") < IndexIn(markdown, "fail over \\<now\\> & page the DBA"), markdown);
        Assert.True(IndexIn(markdown, "fail over \\<now\\>") < IndexIn(markdown, "rolled back the deploy"));
    }

    [Fact]
    public async Task Bad_input_is_answered_under_its_field_and_changes_nothing()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        var cpu = await EntryIdAsync("db primary at 100% cpu");
        await modal.ClickAsync(ReviewIds.Edit, $"entry-{cpu}-actions");
        var form = ReviewModal.Of(Testbed, Ana);

        form.Set(EntryForm.TextBlock, EntryForm.TextAction, "   ");
        var empty = await form.SubmitAsync();
        form.Set(EntryForm.TextBlock, EntryForm.TextAction, "db primary at 100% cpu");
        form.Set(EntryForm.DateBlock, EntryForm.DateAction, "2017-09-22");
        var future = await form.SubmitAsync();

        Assert.Contains("use Remove instead", empty.Errors[EntryForm.TextBlock], StringComparison.Ordinal);
        Assert.Contains("is in the future", future.Errors[EntryForm.TimeBlock], StringComparison.Ordinal);
        Assert.Equal(ReviewIds.EntryForm, ReviewModal.Of(Testbed, Ana).CallbackId);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.TimelineRevisions.CountAsync()));
        Assert.Equal(0, Testbed.Slack.Calls.Count("views.update"));
    }

    [Fact]
    public async Task The_story_form_fills_description_impact_meeting_and_key_moments_in_the_draft()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        await modal.ClickAsync(ReviewIds.Story);
        var form = ReviewModal.Of(Testbed, Ana);

        form.Set("story-describe", StoryForm.ValueAction, "A migration locked the orders table.\n- not a list");
        form.Set("story-impact", StoryForm.ValueAction, "Most checkouts failed for 40 minutes");
        form.Set("story-meeting", StoryForm.ValueAction, "waived: Henry Clifford");
        form.Set("moment-started", StoryForm.ValueAction, "2017-09-21 05:50");
        form.Set("moment-mitigated", StoryForm.ValueAction, "2017-09-21 06:20");
        var submitted = await form.SubmitAsync();

        Assert.Empty(submitted.Errors);
        await PublishFromTheModalAsync(ReviewModal.Of(Testbed, Ana));
        var markdown = await Testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md");
        Assert.True(markdown.Contains("A migration locked the orders table.\\\n  \\- not a list", StringComparison.Ordinal), markdown);
        Assert.Contains("Most checkouts failed for 40 minutes", markdown, StringComparison.Ordinal);
        Assert.Contains("**Meeting:** waived: Henry Clifford", markdown, StringComparison.Ordinal);
        Assert.Contains("05:50", markdown, StringComparison.Ordinal);
        var slack = string.Join("\n", Testbed.Slack.Workspace.Messages(Testbed.PostmortemChannel).Where(m => m.Text.Contains("(version 2)", StringComparison.Ordinal)).Select(m => m.Blocks?.GetRawText()));
        Assert.Contains("Most checkouts failed for 40 minutes", slack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_moments_out_of_order_are_refused_under_the_moment_and_nothing_is_saved()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        await modal.ClickAsync(ReviewIds.Story);
        var form = ReviewModal.Of(Testbed, Ana);

        form.Set("story-impact", StoryForm.ValueAction, "Most checkouts failed");
        form.Set("moment-started", StoryForm.ValueAction, "2017-09-21 06:30");
        form.Set("moment-mitigated", StoryForm.ValueAction, "2017-09-21 06:20");
        form.Set("moment-resolved", StoryForm.ValueAction, "yesterday");
        var bad = await form.SubmitAsync();
        form.Set("moment-resolved", StoryForm.ValueAction, "");
        var order = await form.SubmitAsync();

        Assert.Contains("YYYY-MM-DD HH:MM", bad.Errors["moment-resolved"], StringComparison.Ordinal);
        Assert.Contains("keep the order", string.Join(" ", order.Errors.Values), StringComparison.Ordinal);
        var incident = await Testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal((null, null, null), (incident.Impact, incident.ImpactStartedAt, incident.MitigatedAt));
    }

    [Fact]
    public async Task Publishing_with_no_change_says_so_and_posts_nothing()
    {
        await StartPinTwiceAndCloseAsync();
        var modal = await OpenReviewAsync();
        var posts = Testbed.Slack.Calls.Count("chat.postMessage");

        await modal.ClickAsync(ReviewIds.Publish);
        await Testbed.SettleAsync();

        Assert.Contains("Nothing changed in INC-1", modal.Text, StringComparison.Ordinal);
        Assert.Equal(posts, Testbed.Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task A_long_timeline_is_paged_within_slacks_100_blocks_and_next_shows_the_rest()
    {
        await CommandAsync("start Checkout down");
        await Testbed.SettleAsync();
        for (var i = 1; i <= 55; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            await CommandAsync($"note step {i:00}");
        }

        var modal = await OpenReviewAsync();
        Assert.True(modal.BlockCount <= 100, $"{modal.BlockCount} blocks");
        Assert.Contains("step 39", modal.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("step 40", modal.Text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", modal.Text, StringComparison.Ordinal);

        await modal.ClickAsync(ReviewIds.Page);

        Assert.Contains("step 55", modal.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("step 38", modal.Text, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", modal.Text, StringComparison.Ordinal);
        Assert.Equal(1, Testbed.Slack.Calls.Count("views.update"));
        Assert.DoesNotContain(ReviewIds.Publish, modal.ActionIds);
    }

    [Fact]
    public async Task A_reviewed_entry_is_not_undone_by_a_later_edit_of_its_slack_message()
    {
        await CommandAsync("start Checkout down");
        await Testbed.SettleAsync();
        var ts = await SayAndPinAsync("db primary at 100% cpu", TimeSpan.FromMinutes(1));
        await Testbed.SettleAsync();
        var modal = await OpenReviewAsync();
        await modal.ClickAsync(ReviewIds.Edit, $"entry-{await EntryIdAsync("db primary at 100% cpu")}-actions");
        var form = ReviewModal.Of(Testbed, Ana);
        form.Set(EntryForm.TextBlock, EntryForm.TextAction, "db primary at 100% cpu (orders table lock)");
        Assert.Empty((await form.SubmitAsync()).Errors);

        await Testbed.Slack.Driver.EditMessageAsync(Ben, Ops, ts, "db primary at 100% cpu!!");
        await Testbed.Slack.Driver.RemoveReactionAsync(Ana, Ops, ts, "pushpin");

        var entry = await Testbed.QueryAsync(db => db.TimelineEntries.SingleAsync(e => e.SourceTs == ts));
        Assert.Equal(("db primary at 100% cpu (orders table lock)", "db primary at 100% cpu"), (entry.Text, entry.OriginalText));
    }

    [Fact]
    public async Task Without_a_trigger_slack_accepts_the_command_answers_why_the_modal_did_not_open()
    {
        await StartPinTwiceAndCloseAsync();
        Testbed.Slack.Faults.Enqueue("views.open", IncidentBot.SlackFake.Faults.Fault.Error("expired_trigger_id"));

        var said = await CommandAsync("timeline");

        Assert.Contains("Slack would not open the review window (expired_trigger_id)", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_channel_with_no_incident_the_command_opens_nothing()
    {
        var said = await CommandAsync("timeline");

        Assert.Contains("There is no incident in this channel", said, StringComparison.Ordinal);
        Assert.Equal(0, Testbed.Slack.Calls.Count("views.open"));
    }
}
