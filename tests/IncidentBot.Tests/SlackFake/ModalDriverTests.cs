using System.Text.Json;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;
using Microsoft.AspNetCore.WebUtilities;
using static IncidentBot.Tests.SlackFake.ViewsApiTests;

namespace IncidentBot.Tests.SlackFake;

/// <summary>A person using a modal through the driver, against a stand-in bot that answers as scripted.</summary>
public sealed class ModalDriverTests : RecordingBotTestBase
{
    [Fact]
    public async Task A_button_in_a_modal_sends_block_actions_with_the_view_and_a_usable_trigger()
    {
        var view = await OpenAsync(Modal([TextInput("note"), Buttons("entry_1", ("edit_entry", "Edit", "e1"))]));
        Slack.Driver.SetViewValue(Alice, view, "note", "text", "typed");

        var result = await Slack.Driver.ClickViewButtonAsync(Alice, view, "edit_entry");

        var payload = Payload(Assert.Single(Bot.Requests));
        Assert.Equal("block_actions", payload.Str("type"));
        Assert.Equal("view", payload.GetProperty("container").Str("type"));
        Assert.Equal(view, payload.GetProperty("container").Str("view_id"));
        Assert.Equal(view, payload.GetProperty("view").Str("id"));
        Assert.Equal("typed", payload.GetProperty("view").GetProperty("state").GetProperty("values").GetProperty("note").GetProperty("text").Str("value"));
        Assert.Equal("typed", payload.GetProperty("state").GetProperty("values").GetProperty("note").GetProperty("text").Str("value"));
        var action = Assert.Single(payload.GetProperty("actions").EnumerateArray());
        Assert.Equal(("button", "edit_entry", "entry_1", "e1"), (action.Str("type"), action.Str("action_id"), action.Str("block_id"), action.Str("value")));
        Assert.Equal(Alice, payload.GetProperty("user").Str("id"));
        Assert.Equal("alice", payload.GetProperty("user").Str("username"));
        Assert.Equal(Slack.Options.TeamDomain, payload.GetProperty("team").Str("domain"));
        Assert.False(payload.GetProperty("is_enterprise_install").GetBoolean());
        Assert.False(payload.TryGetProperty("response_url", out _));
        Assert.False(payload.TryGetProperty("channel", out _));
        Assert.Equal(result.TriggerId, payload.Str("trigger_id"));
        var pushed = await Api.JsonAsync("views.push", new { trigger_id = payload.Str("trigger_id"), view = Modal([TextInput("when")]) });
        pushed.AssertOk();
        Assert.Equal(2, Slack.Driver.OpenViewOf(Alice)!.StackDepth);
    }

    [Fact]
    public async Task Errors_keep_the_view_open_and_are_shown_under_the_inputs()
    {
        var view = await OpenAsync(Modal([TextInput("note")]));
        Bot.Reply = _ => Json("""{"response_action":"errors","errors":{"note":"Say what happened"}}""");

        var result = await Slack.Driver.SubmitViewAsync(Alice, view);

        Assert.Null(result.Refusal);
        Assert.Equal("errors", result.ResponseAction);
        Assert.Equal("Say what happened", result.Errors["note"]);
        Assert.Equal(view, result.View!.Id);
        Assert.Equal("Say what happened", Slack.Driver.OpenViewOf(Alice)!.Errors["note"]);
        var payload = Payload(Assert.Single(Bot.Requests));
        Assert.Equal("view_submission", payload.Str("type"));
        Assert.Equal("timeline_review", payload.GetProperty("view").Str("callback_id"));
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("view").GetProperty("state").GetProperty("values").GetProperty("note").GetProperty("text").GetProperty("value").ValueKind);
        Assert.Empty(payload.GetProperty("response_urls").EnumerateArray());
    }

    [Fact]
    public async Task Errors_keyed_on_a_block_that_is_not_an_input_are_a_protocol_error()
    {
        var view = await OpenAsync(Modal([Section("intro"), TextInput("note")]));
        Bot.Reply = _ => Json("""{"response_action":"errors","errors":{"intro":"Nope"}}""");

        var result = await Slack.Driver.SubmitViewAsync(Alice, view);

        Assert.Contains("intro", result.Refusal);
        Assert.Empty(Slack.Driver.OpenViewOf(Alice)!.Errors);
    }

    [Fact]
    public async Task Update_replaces_push_stacks_clear_closes_all_and_empty_pops()
    {
        var root = await OpenAsync(Modal([TextInput("note")]));
        Bot.Reply = _ => Json(JsonSerializer.Serialize(new { response_action = "update", view = Modal([TextInput("note"), Section("saved", "Saved")]) }));
        var updated = await Slack.Driver.SubmitViewAsync(Alice, root);
        Bot.Reply = _ => Json(JsonSerializer.Serialize(new { response_action = "push", view = Modal([TextInput("edit")]) }));
        var pushed = await Slack.Driver.SubmitViewAsync(Alice, root);
        Bot.Reply = _ => new BotReply();
        var popped = await Slack.Driver.SubmitViewAsync(Alice, pushed.View!.Id);
        Bot.Reply = _ => Json(JsonSerializer.Serialize(new { response_action = "push", view = Modal([TextInput("edit")]) }));
        var again = await Slack.Driver.SubmitViewAsync(Alice, root);
        Bot.Reply = _ => Json("""{"response_action":"clear"}""");
        var cleared = await Slack.Driver.SubmitViewAsync(Alice, again.View!.Id);

        Assert.Equal(root, updated.View!.Id);
        Assert.Contains("Saved", updated.View.ViewJson);
        Assert.Equal(2, pushed.View!.StackDepth);
        Assert.Equal(root, pushed.View.PreviousViewId);
        Assert.Equal(root, popped.View!.Id);
        Assert.Null(cleared.View);
        Assert.Null(Slack.Driver.OpenViewOf(Alice));
        Assert.All(Slack.Workspace.Views, v => Assert.False(v.IsOpen));
    }

    [Fact]
    public async Task An_invalid_view_in_an_answer_is_refused_and_the_view_stays()
    {
        var view = await OpenAsync(Modal([TextInput("note")]));
        Bot.Reply = _ => Json(JsonSerializer.Serialize(new { response_action = "update", view = Modal([TextInput("note")], title: new string('t', 30)) }));

        var result = await Slack.Driver.SubmitViewAsync(Alice, view);

        Assert.Contains("invalid_arguments", result.Refusal);
        Assert.Equal(view, result.View!.Id);
    }

    [Fact]
    public async Task A_failed_or_slow_answer_is_trouble_connecting_and_the_view_stays()
    {
        var view = await OpenAsync(Modal([TextInput("note")]));
        Bot.Reply = _ => new BotReply(Status: 500);

        var result = await Slack.Driver.SubmitViewAsync(Alice, view);

        Assert.Equal(ViewInteractionResult.TroubleConnecting, result.Refusal);
        Assert.Equal(view, Slack.Driver.OpenViewOf(Alice)!.Id);
    }

    [Fact]
    public async Task Closing_sends_view_closed_only_when_the_view_asks()
    {
        var quiet = await OpenAsync(Modal([Section("intro")]));
        var closedQuietly = await Slack.Driver.CloseViewAsync(Alice, quiet);
        var loud = await OpenAsync(Modal([Section("intro")], notifyOnClose: true));

        var closed = await Slack.Driver.CloseViewAsync(Alice, loud);

        Assert.Null(closedQuietly.Delivery);
        var payload = Payload(Assert.Single(Bot.Requests));
        Assert.Equal("view_closed", payload.Str("type"));
        Assert.False(payload.GetProperty("is_cleared").GetBoolean());
        Assert.Equal(loud, payload.GetProperty("view").Str("id"));
        Assert.Equal(200, closed.StatusCode);
        Assert.Null(Slack.Driver.OpenViewOf(Alice));
    }

    [Fact]
    public async Task Values_take_the_shape_of_their_element_and_must_fit_it()
    {
        var option = new { text = new { type = "plain_text", text = "SEV1" }, value = "sev1" };
        var view = await OpenAsync(Modal([
            new { type = "input", block_id = "sev", label = new { type = "plain_text", text = "Severity" }, element = new { type = "static_select", action_id = "pick", options = new[] { option } } },
            new { type = "input", block_id = "day", label = new { type = "plain_text", text = "Day" }, element = new { type = "datepicker", action_id = "date", initial_date = "2026-03-01" } },
            new { type = "input", block_id = "at", label = new { type = "plain_text", text = "At" }, element = new { type = "timepicker", action_id = "time" } },
        ]));

        Slack.Driver.SetViewValue(Alice, view, "sev", "pick", "sev1");
        Slack.Driver.SetViewValue(Alice, view, "at", "time", "09:45");

        var stored = Slack.Driver.OpenViewOf(Alice)!;
        Assert.Equal("SEV1", stored.StateOf("sev", "pick")!.Value.GetProperty("selected_option").GetProperty("text").Str("text"));
        Assert.Equal("2026-03-01", stored.StateOf("day", "date")!.Value.Str("selected_date"));
        Assert.Equal("09:45", stored.StateOf("at", "time")!.Value.Str("selected_time"));
        Assert.Throws<FakeSlackException>(() => Slack.Driver.SetViewValue(Alice, view, "sev", "pick", "sev9"));
        Assert.Throws<FakeSlackException>(() => Slack.Driver.SetViewValue(Alice, view, "day", "date", "01/03/2026"));
        Assert.Throws<FakeSlackException>(() => Slack.Driver.SetViewValue(Alice, view, "nope", "pick", "x"));
    }

    [Fact]
    public async Task A_message_button_sends_block_actions_with_the_message_and_a_response_url()
    {
        var channel = ChannelWithBot();
        var posted = await Api.JsonAsync("chat.postMessage", new { channel, text = "Review", blocks = new[] { Buttons("review", ("open_review", "Review", "7")) } });

        var result = await Slack.Driver.ClickMessageButtonAsync(Alice, channel, posted.Str("ts"), "open_review");

        var payload = Payload(Bot.Requests.Last(r => r.Path == "slack/interactions"));
        Assert.Equal("message", payload.GetProperty("container").Str("type"));
        Assert.Equal(posted.Str("ts"), payload.GetProperty("container").Str("message_ts"));
        Assert.Equal(channel, payload.GetProperty("channel").Str("id"));
        Assert.Equal(posted.Str("ts"), payload.GetProperty("message").Str("ts"));
        Assert.Equal(result.ResponseUrl.ToString(), payload.Str("response_url"));
        Assert.Equal("7", payload.GetProperty("actions")[0].Str("value"));
        (await Api.JsonAsync("views.open", new { trigger_id = result.TriggerId, view = Modal([Section("intro")]) })).AssertOk();
    }

    [Fact]
    public async Task A_message_button_with_a_confirm_reaches_the_bot_only_once_confirmed()
    {
        var channel = ChannelWithBot();
        var confirm = new { title = new { type = "plain_text", text = "Close INC-1?" }, text = new { type = "plain_text", text = "Sure?" }, confirm = new { type = "plain_text", text = "Close" }, deny = new { type = "plain_text", text = "Keep open" } };
        var blocks = new[] { new { type = "actions", block_id = "card", elements = new[] { new { type = "button", action_id = "close_incident", text = new { type = "plain_text", text = "Close" }, value = "1", confirm } } } };
        var posted = await Api.JsonAsync("chat.postMessage", new { channel, text = "INC-1", blocks });

        var denied = await Slack.Driver.ClickMessageButtonAsync(Alice, channel, posted.Str("ts"), "close_incident", blockId: null, confirm: false);
        var interactionsAfterDeny = Bot.Requests.Count(r => r.Path == "slack/interactions");
        var confirmed = await Slack.Driver.ClickMessageButtonAsync(Alice, channel, posted.Str("ts"), "close_incident", "card");

        Assert.Null(denied);
        Assert.Equal(0, interactionsAfterDeny);
        Assert.Equal(200, confirmed!.StatusCode);
        var action = Payload(Bot.Requests.Single(r => r.Path == "slack/interactions")).GetProperty("actions")[0];
        Assert.Equal(("close_incident", "card", "1"), (action.Str("action_id"), action.Str("block_id"), action.Str("value")));
    }

    internal static object Buttons(string blockId, params (string ActionId, string Text, string Value)[] buttons) => new
    {
        type = "actions",
        block_id = blockId,
        elements = buttons.Select(b => new { type = "button", action_id = b.ActionId, text = new { type = "plain_text", text = b.Text }, value = b.Value }).ToArray(),
    };

    private static BotReply Json(string body) => new(Body: body, ContentType: "application/json");

    internal static JsonElement Payload(BotRequest request) => JsonDocument.Parse(QueryHelpers.ParseQuery(request.Body)["payload"].ToString()).RootElement;

    private async Task<string> OpenAsync(object view)
    {
        var opened = await Api.JsonAsync("views.open", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view });
        opened.AssertOk();
        return opened.GetProperty("view").Str("id");
    }
}
