using IncidentBot.Incidents;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents;

/// <summary><c>/incident describe|impact|meeting &lt;text&gt;</c>: the story in the lead's words, in the draft in place of its prompts.</summary>
public sealed class SetStoryFieldCommandTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private const string DescriptionPrompt = "_Add what happened, in a few sentences, for a reader who was not there._";
    private const string ImpactPrompt = "_Say who was affected, how, and how many._";
    private const string MeetingPrompt = "_Not held yet: schedule the review, or write who waived it._";

    private async Task<string> Run(string text, string? channel = null, string user = Ana)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(user, channel ?? Ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        // Only the declaration, in the declaring channel, is answered for all to see.
        Assert.Equal(text.StartsWith("start", StringComparison.Ordinal) ? "in_channel" : "ephemeral", result.Json!.Value.GetProperty("response_type").GetString());
        return result.Json!.Value.GetProperty("text").GetString()!;
    }

    private async Task CloseAndPublishAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(30));
        await Run("close");
        await Testbed.SettleAsync();
    }

    private Task<Incident> TheIncident(int id = 1) => Testbed.QueryAsync(db => db.Incidents.SingleAsync(i => i.Id == id));

    private Task<int> EntryCount() => Testbed.QueryAsync(db => db.TimelineEntries.CountAsync());

    [Fact]
    public async Task Describe_impact_and_meeting_fill_their_sections_in_the_slack_messages_and_the_markdown_file()
    {
        await Run("start Checkout down");
        // As Slack sends what was typed: its three characters escaped, @channel as a token.
        await Run("describe The checkout API answered 500s &amp; &lt;timeouts&gt; to *most* requests, <!channel> saw it");
        await Run("impact About 40% of checkouts failed for 30 minutes");
        await Run("meeting waived: Henry Clifford");

        await CloseAndPublishAsync();

        var markdown = PublishedDraft.Markdown(Testbed);
        Assert.Contains("**Meeting:** waived: Henry Clifford\n", markdown, StringComparison.Ordinal);
        Assert.Contains("in #ops.\n\nThe checkout API answered 500s & \\<timeouts\\> to \\*most\\* requests, @channel saw it\n\n## Timeline", markdown, StringComparison.Ordinal);
        Assert.Contains("to the resolution (2017-09-21 06:30 UTC).\n\nAbout 40% of checkouts failed for 30 minutes\n\n## Corrective Actions", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(DescriptionPrompt, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(ImpactPrompt, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(MeetingPrompt, markdown, StringComparison.Ordinal);

        var slack = PublishedDraft.SlackText(Testbed);
        Assert.Contains("*Meeting:* waived: Henry Clifford", slack, StringComparison.Ordinal);
        Assert.Contains("by Ana Lima, in #ops.\nThe checkout API answered 500s &amp; &lt;timeouts&gt; to *most* requests, @channel saw it\n", slack, StringComparison.Ordinal);
        Assert.Contains("UTC).\nAbout 40% of checkouts failed for 30 minutes\n*Corrective Actions*", slack, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", slack, StringComparison.Ordinal);
        Assert.DoesNotContain(DescriptionPrompt, slack, StringComparison.Ordinal);
        Assert.DoesNotContain(ImpactPrompt, slack, StringComparison.Ordinal);
        Assert.DoesNotContain(MeetingPrompt, slack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_close_without_story_fields_keeps_the_prompts_in_both_renderings()
    {
        await Run("start Checkout down");

        await CloseAndPublishAsync();

        var markdown = PublishedDraft.Markdown(Testbed);
        var slack = PublishedDraft.SlackText(Testbed);
        Assert.All([DescriptionPrompt, ImpactPrompt, MeetingPrompt], prompt => Assert.Contains(prompt, markdown, StringComparison.Ordinal));
        Assert.All([DescriptionPrompt, ImpactPrompt, MeetingPrompt], prompt => Assert.Contains(prompt, slack, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_as_the_meeting_is_shown_as_given()
    {
        await Run("start Checkout down");
        await Run("meeting <https://meet.example.com/abc-defg-hij> on 2017-09-22 10:00");

        await CloseAndPublishAsync();

        Assert.Contains("**Meeting:** https://meet.example.com/abc-defg-hij on 2017-09-22 10:00\n", PublishedDraft.Markdown(Testbed), StringComparison.Ordinal);
        Assert.Contains("*Meeting:* https://meet.example.com/abc-defg-hij on 2017-09-22 10:00", PublishedDraft.SlackText(Testbed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_field_is_recorded_on_the_timeline_and_echoed_without_pinging_anyone()
    {
        await Run("start Checkout down");
        await Testbed.SettleAsync();

        var reply = await Run("describe Checkout is down for <!here> and <!channel|channel>", user: Ben);
        await Testbed.SettleAsync();

        Assert.Equal("The Description of INC-1 is set: the post-mortem draft shows it in place of the prompt.", reply);
        var entry = (await Testbed.TimelineAsync(1))[^1];
        Assert.Equal(("Description set: Checkout is down for <!here> and <!channel|channel>", Ben), (entry.Text, entry.AuthorUserId));
        var echo = Assert.Single(Testbed.Slack.Workspace.Messages(Ops), m => m.Text.Contains("Description set", StringComparison.Ordinal));
        Assert.Equal($":rotating_light: Description set: Checkout is down for @here and @channel (by <@{Ben}>)", echo.Text);
    }

    [Fact]
    public async Task A_field_set_again_replaces_the_last_one()
    {
        await Run("start Checkout down");
        await Run("impact Some users");

        var reply = await Run("impact All EU users could not pay");
        var same = await Run("impact All EU users could not pay");

        Assert.StartsWith("The Impact of INC-1 is set", reply, StringComparison.Ordinal);
        Assert.Equal("The Impact of INC-1 already says that; nothing was changed.", same);
        Assert.Equal("All EU users could not pay", (await TheIncident()).Impact);
        Assert.Equal(3, await EntryCount());
    }

    [Theory]
    [InlineData("describe")]
    [InlineData("impact   ")]
    [InlineData("meeting")]
    public async Task A_field_without_text_explains_usage_and_changes_nothing(string text)
    {
        await Run("start Checkout down");

        var reply = await Run(text);

        Assert.Contains($"Usage: `/incident {text.Trim()} <text>`. Nothing was changed.", reply, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal((null, null, null), (incident.Description, incident.Impact, incident.Meeting));
        Assert.Equal(1, await EntryCount());
    }

    [Theory]
    [InlineData("describe It broke")]
    [InlineData("impact Everyone")]
    [InlineData("meeting waived: Ana")]
    public async Task A_field_in_a_channel_without_an_incident_answers_a_clear_error_and_changes_nothing(string text)
    {
        await Run("start Checkout down");
        var random = Testbed.Slack.Workspace.CreateChannel("random", false, Ana, Testbed.Slack.Options.BotUserId).Id;

        var reply = await Run(text, channel: random);

        Assert.StartsWith("There is no incident in this channel, live or closed", reply, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal((null, null, null), (incident.Description, incident.Impact, incident.Meeting));
        Assert.Equal(1, await EntryCount());
    }

    [Fact]
    public async Task After_the_close_a_field_completes_the_incident_closed_last_and_says_the_draft_needs_publishing_again()
    {
        await Run("start Checkout down");
        await CloseAndPublishAsync();
        await Run("start Checkout down again");
        await CloseAndPublishAsync();

        var reply = await Run("describe A certificate expired");

        Assert.Equal(
            "The Description of INC-2 is set: the post-mortem draft shows it in place of the prompt. " +
            "INC-2 is closed: its draft was published without this, so it will need publishing again to show it.",
            reply);
        Assert.Equal((null, "A certificate expired"), ((await TheIncident(1)).Description, (await TheIncident(2)).Description));
        Assert.Equal("Description set: A certificate expired", (await Testbed.TimelineAsync(2))[^1].Text);
    }

    [Fact]
    public async Task A_live_incident_is_preferred_to_one_closed_in_the_same_channel()
    {
        await Run("start Checkout down");
        await CloseAndPublishAsync();
        await Run("start Search is slow");

        var reply = await Run("meeting Friday 10:00, room 4");

        Assert.Equal("The Meeting of INC-2 is set: the post-mortem draft shows it in place of the prompt.", reply);
        Assert.Equal((null, "Friday 10:00, room 4"), ((await TheIncident(1)).Meeting, (await TheIncident(2)).Meeting));
    }

    [Fact]
    public async Task Help_lists_the_story_fields_and_the_key_moments()
    {
        var reply = await Run("help");

        Assert.Contains("`describe <text>`, `impact <text>`, `meeting <text>`", reply, StringComparison.Ordinal);
        Assert.Contains("`moment <started|detected|mitigated|resolved> <YYYY-MM-DD HH:MM>`", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Checkout is down", "Checkout is down")]
    [InlineData("The release of 19 September ran a data migration that dropped some deprecated enums from Mongo", "The release of 19 September ran a data migration that dropped some deprecated…")]
    [InlineData("Rolled back after <@U0HENRY001> and <@U0DAMIAN01> agreed that the 14:00 release was the likely cause", "Rolled back after <@U0HENRY001> and <@U0DAMIAN01> agreed that the 14:00 release…")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&amp;and more", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…")]
    [InlineData("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy<@U0HENRY001> and more", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…")]
    [InlineData("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa <@U0HENRY001> said so", "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…")]
    public void A_long_field_is_noted_on_the_timeline_by_its_start_cut_after_a_word_never_inside_a_mention_or_an_escape(string text, string noted)
    {
        Assert.Equal(noted, IncidentBot.Incidents.StoryPreview.Of(text));
    }
}
