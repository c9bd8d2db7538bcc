using System.Globalization;
using System.Net;
using System.Text.Json;
using IncidentBot.Review;
using IncidentBot.Slack.Handling;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.Handling;

/// <summary>A request signed with our secret but naming another workspace or app (learnt from auth.test) is refused and changes nothing.</summary>
public sealed class ForeignRequestsTests() : OpsChannelTestBase(TestPeople.Ana)
{
    private Task<DeliveryResult> CommandAsync(string text, string? team = null, string? appId = null)
    {
        var options = Testbed.Slack.Options;
        var fields = new Dictionary<string, string>
        {
            ["team_id"] = team ?? options.TeamId,
            ["team_domain"] = options.TeamDomain,
            ["channel_id"] = Ops,
            ["channel_name"] = "ops",
            ["user_id"] = Ana,
            ["command"] = "/incident",
            ["text"] = text,
            ["api_app_id"] = appId ?? options.AppId,
            ["response_url"] = Testbed.Slack.Driver.IssueResponseUrl(Ops, Ana).ToString(),
            ["trigger_id"] = Testbed.Slack.Driver.IssueTriggerId(Ana),
        };
        var body = string.Join('&', fields.Select(f => $"{f.Key}={WebUtility.UrlEncode(f.Value)}"));
        return Testbed.Slack.Driver.SendRawAsync(FakeSlackDriver.CommandsPath, body, "application/x-www-form-urlencoded");
    }

    /// <summary>The bot has heard from auth.test which workspace and app it is.</summary>
    private Task KnowsWhoItIsAsync() =>
        Eventually.Until(() => Testbed.Bot.Services.GetRequiredService<SlackBotIdentity>().AppId is not null, "the bot's identity from auth.test");

    private static string AnswerOf(DeliveryResult result) => JsonDocument.Parse(result.Body).RootElement.GetProperty("text").GetString()!;

    [Theory]
    [InlineData("T0OTHERWS1", null)]
    [InlineData(null, "A0OTHERAPP")]
    public async Task A_slash_command_for_another_workspace_or_app_is_refused_and_changes_nothing(string? team, string? appId)
    {
        await KnowsWhoItIsAsync();

        var refused = await CommandAsync("start Checkout down", team, appId);
        await Testbed.SettleAsync();

        Assert.Equal(200, refused.StatusCode);
        Assert.Contains("another Slack workspace or app", AnswerOf(refused), StringComparison.Ordinal);
        Assert.False(await Testbed.QueryAsync(db => db.Incidents.AnyAsync()));
        Assert.DoesNotContain(Testbed.Slack.Calls.All, c => c.Method != "auth.test");
    }

    [Fact]
    public async Task The_same_command_from_this_workspace_and_app_is_served()
    {
        await KnowsWhoItIsAsync();

        var served = await CommandAsync("start Checkout down");

        Assert.Contains("INC-1", AnswerOf(served), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_submitted_for_another_app_stays_open_and_says_why_under_its_first_field()
    {
        await KnowsWhoItIsAsync();
        var submission = SlackPayloads.ViewSubmission(Ana, ReviewIds.EntryForm, "entry-text", "value", "db primary at 100% cpu");
        submission["team"] = new System.Text.Json.Nodes.JsonObject { ["id"] = Testbed.Slack.Options.TeamId };
        submission["api_app_id"] = "A0OTHERAPP";

        var answer = await Testbed.Slack.Driver.SendInteractionAsync(submission);

        var json = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal("errors", json.GetProperty("response_action").GetString());
        Assert.Contains("another Slack workspace or app", json.GetProperty("errors").GetProperty("entry-text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Testbed.Slack.Calls.All, c => c.Method != "auth.test");
    }

    [Fact]
    public async Task A_review_click_from_another_workspace_changes_nothing_and_the_same_click_from_ours_does()
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "start Checkout down");
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "note db primary at 100% cpu");
        await Testbed.SettleAsync();
        await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", "timeline");
        var modal = ReviewModal.Of(Testbed, Ana);
        var entryId = await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Text == "db primary at 100% cpu").Select(e => e.Id).SingleAsync());
        var id = entryId.ToString(CultureInfo.InvariantCulture);
        Task<bool> RemovedAsync() => Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Id == entryId).Select(e => e.Removed).SingleAsync());

        await modal.SendButtonAsync(ReviewIds.Remove, $"entry-{id}-actions", id, team: "T0OTHERWS1");
        await modal.SendButtonAsync(ReviewIds.Remove, $"entry-{id}-actions", id, appId: "A0OTHERAPP");
        var afterForeign = await RemovedAsync();
        await modal.SendButtonAsync(ReviewIds.Remove, $"entry-{id}-actions", id);

        Assert.False(afterForeign);
        Assert.True(await RemovedAsync());
    }
}
