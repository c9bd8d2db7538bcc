using IncidentBot.Incidents;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// <c>/incident moment &lt;started|detected|mitigated|resolved&gt; &lt;YYYY-MM-DD HH:MM&gt;</c>: key moments set by hand,
/// and the draft's Impact that counts from them. The incident is declared at 06:00 UTC on 2017-09-21.
/// </summary>
public sealed class MomentIncidentCommandTests() : OpsChannelTestBase(TestPeople.Ana)
{
    private async Task<string> Run(string text)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        return result.Json!.Value.GetProperty("text").GetString()!;
    }

    /// <summary>Closes the incident 50 minutes after its declaration (06:50 UTC) and publishes the draft.</summary>
    private async Task CloseAndPublishAsync()
    {
        Time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 50, 0, TimeSpan.Zero));
        await Run("close");
        await Testbed.SettleAsync();
    }

    private Task<Incident> TheIncident(int id = 1) => Testbed.QueryAsync(db => db.Incidents.SingleAsync(i => i.Id == id));

    private Task<int> EntryCount() => Testbed.QueryAsync(db => db.TimelineEntries.CountAsync());

    private static string Impact(string markdown) =>
        markdown[(markdown.IndexOf("## Impact\n\n", StringComparison.Ordinal) + "## Impact\n\n".Length)..markdown.IndexOf("## Corrective Actions", StringComparison.Ordinal)];

    [Fact]
    public async Task Moments_give_the_duration_of_impact_and_the_times_to_detect_mitigate_and_resolve_saying_which_were_set_by_hand()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(20));
        var started = await Run("moment started 2017-09-21 05:50");
        await Run("moment mitigated 2017-09-21 06:15");

        await CloseAndPublishAsync();

        Assert.StartsWith("INC-1: Key moment set by hand: started 2017-09-21 05:50 UTC. The draft's Impact gives", started, StringComparison.Ordinal);
        Assert.Equal(
            "Impact lasted 1 h 00 min, from 2017-09-21 05:50 UTC (started, set by hand) to 2017-09-21 06:50 UTC (resolved, measured: closed).\n\n" +
            "- Started: 2017-09-21 05:50 UTC (set by hand)\n" +
            "- Detected: 2017-09-21 06:00 UTC (measured: declared); time to detect 10 min\n" +
            "- Mitigated: 2017-09-21 06:15 UTC (set by hand); time to mitigate 25 min\n" +
            "- Resolved: 2017-09-21 06:50 UTC (measured: closed); time to resolve 1 h 00 min\n\n" +
            "Times to detect, mitigate and resolve count from the start of impact.\n\n" +
            "_Say who was affected, how, and how many._\n\n",
            Impact(PublishedDraft.Markdown(Testbed)));
        Assert.Contains(
            "*Impact*\n" +
            "Impact lasted 1 h 00 min, from <!date^1505973000^{date_num} {time}|2017-09-21 05:50 UTC> (started, set by hand) to <!date^1505976600^{date_num} {time}|2017-09-21 06:50 UTC> (resolved, measured: closed).\n" +
            "• Started: <!date^1505973000^{date_num} {time}|2017-09-21 05:50 UTC> (set by hand)\n" +
            "• Detected: <!date^1505973600^{date_num} {time}|2017-09-21 06:00 UTC> (measured: declared); time to detect 10 min\n" +
            "• Mitigated: <!date^1505974500^{date_num} {time}|2017-09-21 06:15 UTC> (set by hand); time to mitigate 25 min\n" +
            "• Resolved: <!date^1505976600^{date_num} {time}|2017-09-21 06:50 UTC> (measured: closed); time to resolve 1 h 00 min\n" +
            "Times to detect, mitigate and resolve count from the start of impact.\n" +
            "_Say who was affected, how, and how many._",
            PublishedDraft.SlackText(Testbed),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_four_moments_set_by_hand_are_all_said_to_be_set_by_hand()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(45));
        await Run("moment started 2017-09-21 05:30");
        await Run("moment detected 2017-09-21 05:55 UTC");
        await Run("moment mitigated 2017-09-21T06:10");
        await Run("MOMENT Resolved 2017-09-21 06:40");

        await CloseAndPublishAsync();

        var impact = Impact(PublishedDraft.Markdown(Testbed));
        Assert.StartsWith("Impact lasted 1 h 10 min, from 2017-09-21 05:30 UTC (started, set by hand) to 2017-09-21 06:40 UTC (resolved, set by hand).", impact, StringComparison.Ordinal);
        Assert.Contains("- Detected: 2017-09-21 05:55 UTC (set by hand); time to detect 25 min\n", impact, StringComparison.Ordinal);
        Assert.Contains("- Mitigated: 2017-09-21 06:10 UTC (set by hand); time to mitigate 40 min\n", impact, StringComparison.Ordinal);
        Assert.Contains("- Resolved: 2017-09-21 06:40 UTC (set by hand); time to resolve 1 h 10 min\n", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("measured", impact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_start_the_times_count_from_detection_and_say_so()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(20));
        await Run("moment mitigated 2017-09-21 06:15");

        await CloseAndPublishAsync();

        Assert.Equal(
            "Impact lasted at least 50 min, from 2017-09-21 06:00 UTC (detected, measured: declared) to 2017-09-21 06:50 UTC (resolved, measured: closed): when it started was not set.\n\n" +
            "- Started: not set\n" +
            "- Detected: 2017-09-21 06:00 UTC (measured: declared)\n" +
            "- Mitigated: 2017-09-21 06:15 UTC (set by hand); time to mitigate 15 min\n" +
            "- Resolved: 2017-09-21 06:50 UTC (measured: closed); time to resolve 50 min\n\n" +
            "Times to mitigate and resolve count from detection, as the start of impact was not set.\n\n" +
            "_Say who was affected, how, and how many._\n\n",
            Impact(PublishedDraft.Markdown(Testbed)));
    }

    [Fact]
    public async Task A_close_without_moments_keeps_todays_impact_text()
    {
        await Run("start Checkout down");

        await CloseAndPublishAsync();

        Assert.Equal(
            "Duration: 50 min, from the declaration (2017-09-21 06:00 UTC) to the resolution (2017-09-21 06:50 UTC).\n\n_Say who was affected, how, and how many._\n\n",
            Impact(PublishedDraft.Markdown(Testbed)));
        Assert.Contains(
            "*Impact*\nDuration: 50 min, from <!date^1505973600^{date_num} {time}|2017-09-21 06:00 UTC> to <!date^1505976600^{date_num} {time}|2017-09-21 06:50 UTC>.\n_Say who was affected, how, and how many._",
            PublishedDraft.SlackText(Testbed),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_moment_is_recorded_on_the_timeline_and_echoed()
    {
        await Run("start Checkout down");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(20));

        await Run("moment detected 2017-09-21 05:58");
        await Testbed.SettleAsync();

        Assert.Equal("Key moment set by hand: detected 2017-09-21 05:58 UTC", (await Testbed.TimelineAsync(1))[^1].Text);
        Assert.Single(Testbed.Slack.Workspace.Messages(Ops), m => m.Text == $":rotating_light: Key moment set by hand: detected 2017-09-21 05:58 UTC (by <@{Ana}>)");
    }

    [Theory]
    [InlineData("moment", "Say which moment and when")]
    [InlineData("moment started", "Say which moment and when")]
    [InlineData("moment begun 2017-09-21 05:50", "Say which moment and when")]
    [InlineData("moment started yesterday", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment started 2017-09-21", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment started 2017-13-01 05:50", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment started 2017-09-21 25:00", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment started 21/09/2017 05:50", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment started 2017-09-21 05:50 CEST", "That is not a time in UTC written YYYY-MM-DD HH:MM")]
    [InlineData("moment resolved 2017-09-21 06:11", "2017-09-21 06:11 UTC is in the future (it is 2017-09-21 06:10 UTC now)")]
    [InlineData("moment detected 2017-09-21 06:05", "`detected` at 2017-09-21 06:05 UTC would come before `started` (2017-09-21 06:08 UTC, set by hand)")]
    [InlineData("moment resolved 2017-09-21 06:07", "`resolved` at 2017-09-21 06:07 UTC would come before `started` (2017-09-21 06:08 UTC, set by hand)")]
    [InlineData("moment started 2017-09-21 06:09", "`started` at 2017-09-21 06:09 UTC would come after `detected` (2017-09-21 06:08 UTC, set by hand)")]
    public async Task Bad_moments_explain_what_is_wrong_and_change_nothing(string text, string why)
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(10));
        await Run("moment detected 2017-09-21 06:08");
        await Run("moment started 2017-09-21 06:08");
        var before = await TheIncident();

        var reply = await Run(text);

        Assert.Contains(why, reply, StringComparison.Ordinal);
        Assert.EndsWith("Usage: `/incident moment <started|detected|mitigated|resolved> <YYYY-MM-DD HH:MM>`. Nothing was changed.", reply, StringComparison.Ordinal);
        var after = await TheIncident();
        Assert.Equal(
            (before.ImpactStartedAt, before.DetectedAt, before.MitigatedAt, before.ResolvedAt),
            (after.ImpactStartedAt, after.DetectedAt, after.MitigatedAt, after.ResolvedAt));
        Assert.Equal(3, await EntryCount());
    }

    [Fact]
    public async Task A_moment_against_a_measured_one_says_to_set_that_one_by_hand_first()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(30));

        var refused = await Run("moment mitigated 2017-09-21 05:45");
        await Run("moment detected 2017-09-21 05:40");
        var accepted = await Run("moment mitigated 2017-09-21 05:45");

        Assert.Contains(
            "`mitigated` at 2017-09-21 05:45 UTC would come before `detected` (2017-09-21 06:00 UTC, measured: declared): the moments keep the order started, detected, mitigated, resolved. If that time is wrong, set `detected` by hand first.",
            refused,
            StringComparison.Ordinal);
        Assert.StartsWith("INC-1: Key moment set by hand: mitigated 2017-09-21 05:45 UTC.", accepted, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2017, 9, 21, 5, 45, 0), (await TheIncident()).MitigatedAt);
    }

    [Fact]
    public async Task A_cleared_moment_goes_back_to_what_is_measured()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(30));
        await Run("moment detected 2017-09-21 05:40");

        var cleared = await Run("moment detected clear");
        var again = await Run("moment detected clear");

        Assert.StartsWith("INC-1: Key moment cleared: detected is now 2017-09-21 06:00 UTC (measured: declared).", cleared, StringComparison.Ordinal);
        Assert.Equal("`detected` was not set by hand for INC-1; nothing was changed.", again);
        Assert.Null((await TheIncident()).DetectedAt);
        await CloseAndPublishAsync();
        Assert.StartsWith("Duration: 50 min, from the declaration", Impact(PublishedDraft.Markdown(Testbed)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clear_that_would_break_the_order_is_refused()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(30));
        await Run("moment detected 2017-09-21 06:10");
        await Run("moment started 2017-09-21 06:05");

        var reply = await Run("moment detected clear");

        Assert.Contains("`detected` at 2017-09-21 06:00 UTC (measured: declared) would come before `started` (2017-09-21 06:05 UTC, set by hand)", reply, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2017, 9, 21, 6, 10, 0), (await TheIncident()).DetectedAt);
    }

    [Fact]
    public async Task After_the_close_a_moment_completes_the_record_checked_against_the_close_and_says_the_draft_needs_publishing_again()
    {
        await Run("start Checkout down");
        await CloseAndPublishAsync();
        Time.Advance(TimeSpan.FromHours(2));

        var late = await Run("moment mitigated 2017-09-21 07:00");
        var reply = await Run("moment resolved 2017-09-21 06:40");

        Assert.Contains("`mitigated` at 2017-09-21 07:00 UTC would come after `resolved` (2017-09-21 06:50 UTC, measured: closed)", late, StringComparison.Ordinal);
        Assert.Equal(
            "INC-1: Key moment set by hand: resolved 2017-09-21 06:40 UTC. The draft's Impact gives the duration of impact and the times to detect, mitigate and resolve from the key moments. " +
            "INC-1 is closed: its draft was published without this, so it will need publishing again to show it.",
            reply);
        var incident = await TheIncident();
        Assert.Equal((IncidentStatus.Closed, (DateTime?)null, new DateTime(2017, 9, 21, 6, 40, 0)), (incident.Status, incident.MitigatedAt, incident.ResolvedAt));
    }

    [Fact]
    public async Task A_moment_outside_an_incident_channel_answers_a_clear_error()
    {
        var random = Testbed.Slack.Workspace.CreateChannel("random", false, Ana, Testbed.Slack.Options.BotUserId).Id;

        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, random, "/incident", "moment started 2017-09-21 05:50");

        Assert.StartsWith("There is no incident in this channel, live or closed", result.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await EntryCount());
    }
}
