using System.Text.Json;
using static IncidentBot.Tests.SlackFake.ModalDriverTests;
using static IncidentBot.Tests.SlackFake.ViewsApiTests;

namespace IncidentBot.Tests.SlackFake;

/// <summary>The Home tab: views.publish as Slack answers it, app_home_opened as Slack sends it, and clicks in the tab.</summary>
public sealed class AppHomeTests : RecordingBotTestBase
{
    internal static object Home(params object[] blocks) => new { type = "home", callback_id = "incident_home", blocks };

    [Fact]
    public async Task Views_publish_stores_the_users_home_tab_and_republishes_it_under_the_same_id()
    {
        var first = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Section("intro", "Welcome")) });
        var firstView = first.GetProperty("view");

        var second = await Api.JsonAsync("views.publish", new { user_id = Alice, hash = firstView.Str("hash"), view = Home(Section("intro", "Two incidents open")) });

        first.AssertOk();
        second.AssertOk();
        Assert.Equal("home", firstView.Str("type"));
        Assert.Equal(JsonValueKind.Null, firstView.GetProperty("title").ValueKind);
        Assert.Equal(firstView.Str("id"), second.GetProperty("view").Str("id"));
        Assert.NotEqual(firstView.Str("hash"), second.GetProperty("view").Str("hash"));
        var stored = Slack.Workspace.HomeViewOf(Alice)!;
        Assert.Equal("Two incidents open", stored.View.GetProperty("blocks")[0].GetProperty("text").Str("text"));
        Assert.Equal("incident_home", stored.CallbackId);
        Assert.Null(Slack.Workspace.HomeViewOf(Bob));
        Assert.Equal(stored.Id, Slack.Workspace.FindView(stored.Id)!.Id);
        Assert.Null(Slack.Driver.OpenViewOf(Alice));
    }

    [Fact]
    public async Task Views_publish_refuses_a_stale_hash_a_modal_an_unknown_user_and_too_many_blocks()
    {
        var published = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Section("intro")) });
        await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Section("intro", "newer")) });

        var stale = await Api.JsonAsync("views.publish", new { user_id = Alice, hash = published.GetProperty("view").Str("hash"), view = Home(Section("intro", "lost")) });
        var modal = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Modal([Section("intro")]) });
        var nobody = await Api.JsonAsync("views.publish", new { user_id = "U0NOBODY01", view = Home(Section("intro")) });
        var tooMany = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home([.. Enumerable.Range(0, 101).Select(i => Section($"b{i}"))]) });
        var homeAsModal = await Api.JsonAsync("views.open", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view = Home(Section("intro")) });

        stale.AssertError("hash_conflict");
        modal.AssertError("invalid_arguments");
        nobody.AssertError("user_not_found");
        tooMany.AssertError("invalid_arguments");
        homeAsModal.AssertError("invalid_arguments");
        Assert.Equal("newer", Slack.Workspace.HomeViewOf(Alice)!.View.GetProperty("blocks")[0].GetProperty("text").Str("text"));
    }

    [Fact]
    public async Task Views_update_changes_a_home_tab_by_its_id_and_keeps_it_a_home_view()
    {
        var published = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Section("intro")) });
        var viewId = published.GetProperty("view").Str("id");

        var updated = await Api.JsonAsync("views.update", new { view_id = viewId, view = Home(Section("intro", "updated")) });
        var asModal = await Api.JsonAsync("views.update", new { view_id = viewId, view = Modal([Section("intro")]) });

        updated.AssertOk();
        asModal.AssertError("invalid_arguments");
        Assert.Equal("updated", Slack.Workspace.HomeViewOf(Alice)!.View.GetProperty("blocks")[0].GetProperty("text").Str("text"));
    }

    [Fact]
    public async Task Opening_the_app_home_sends_app_home_opened_with_the_dm_channel_and_the_published_view()
    {
        var before = await Slack.Driver.OpenAppHomeAsync(Alice);
        var published = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Section("intro")) });

        var after = await Slack.Driver.OpenAppHomeAsync(Alice);

        Assert.Equal(200, before!.Delivery.StatusCode);
        Assert.Equal(200, after!.Delivery.StatusCode);
        var requests = Bot.Requests.Where(r => r.Path == "slack/events").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event")).ToList();
        Assert.Equal(2, requests.Count);
        var first = requests[0];
        Assert.Equal("app_home_opened", first.Str("type"));
        Assert.Equal(Alice, first.Str("user"));
        Assert.Equal("home", first.Str("tab"));
        Assert.StartsWith("D", first.Str("channel"));
        Assert.Matches(@"^\d+\.\d{6}$", first.Str("event_ts"));
        Assert.False(first.TryGetProperty("view", out _));
        Assert.Equal(first.Str("channel"), requests[1].Str("channel"));
        Assert.NotEqual(Slack.Workspace.AppHomeChannelOf(Bob), first.Str("channel"));
        Assert.Equal(published.GetProperty("view").Str("id"), requests[1].GetProperty("view").Str("id"));
        Assert.Equal("home", requests[1].GetProperty("view").Str("type"));
    }

    [Fact]
    public async Task A_button_in_the_home_tab_sends_block_actions_from_the_home_view()
    {
        var published = await Api.JsonAsync("views.publish", new { user_id = Alice, view = Home(Buttons("home_actions", ("declare_incident", "Declare incident", "home"))) });
        var viewId = published.GetProperty("view").Str("id");

        var result = await Slack.Driver.ClickHomeButtonAsync(Alice, "declare_incident");

        var payload = Payload(Assert.Single(Bot.Requests));
        Assert.Equal("block_actions", payload.Str("type"));
        Assert.Equal("view", payload.GetProperty("container").Str("type"));
        Assert.Equal(viewId, payload.GetProperty("container").Str("view_id"));
        Assert.Equal("home", payload.GetProperty("view").Str("type"));
        Assert.Equal("declare_incident", payload.GetProperty("actions")[0].Str("action_id"));
        (await Api.JsonAsync("views.open", new { trigger_id = result.TriggerId, view = Modal([TextInput("title")]) })).AssertOk();
        await Assert.ThrowsAsync<IncidentBot.SlackFake.FakeSlackException>(() => Slack.Driver.ClickViewButtonAsync(Bob, viewId, "declare_incident"));
    }
}
