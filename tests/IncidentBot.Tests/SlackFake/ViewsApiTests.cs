using System.Text.Json;

namespace IncidentBot.Tests.SlackFake;

/// <summary>views.open, views.update and views.push as Slack answers them: stacks, hashes, external ids, Block Kit limits for modals.</summary>
public sealed class ViewsApiTests : FakeSlackTestBase
{
    internal static object TextInput(string blockId, string actionId = "text", string? initial = null) => new
    {
        type = "input",
        block_id = blockId,
        label = new { type = "plain_text", text = "Text" },
        element = initial is null
            ? new { type = "plain_text_input", action_id = actionId }
            : (object)new { type = "plain_text_input", action_id = actionId, initial_value = initial },
    };

    internal static object Section(string blockId, string text = "Hello") =>
        new { type = "section", block_id = blockId, text = new { type = "mrkdwn", text } };

    internal static object Modal(object[] blocks, string title = "Timeline", bool submit = true, string? externalId = null, bool notifyOnClose = false)
    {
        var view = new Dictionary<string, object>
        {
            ["type"] = "modal",
            ["callback_id"] = "timeline_review",
            ["private_metadata"] = "INC-7",
            ["title"] = new { type = "plain_text", text = title },
            ["close"] = new { type = "plain_text", text = "Cancel" },
            ["blocks"] = blocks,
            ["notify_on_close"] = notifyOnClose,
        };
        if (submit)
        {
            view["submit"] = new { type = "plain_text", text = "Save" };
        }

        if (externalId is not null)
        {
            view["external_id"] = externalId;
        }

        return view;
    }

    [Fact]
    public async Task Views_open_returns_the_view_as_slack_keeps_it()
    {
        var opened = await OpenAsync(Modal([TextInput("note", initial: "first")]));

        opened.AssertOk();
        var view = opened.GetProperty("view");
        Assert.Equal(view.Str("id"), view.Str("root_view_id"));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("previous_view_id").ValueKind);
        Assert.Equal(Slack.Options.TeamId, view.Str("team_id"));
        Assert.Equal(Slack.Options.BotId, view.Str("bot_id"));
        Assert.Equal("INC-7", view.Str("private_metadata"));
        Assert.Equal("first", view.GetProperty("state").GetProperty("values").GetProperty("note").GetProperty("text").Str("value"));
        var stored = Slack.Driver.OpenViewOf(Alice)!;
        Assert.Equal(view.Str("id"), stored.Id);
        Assert.Equal(view.Str("hash"), stored.Hash);
        Assert.Equal(1, stored.StackDepth);
    }

    [Fact]
    public async Task Views_update_with_a_stale_hash_is_a_hash_conflict()
    {
        var view = (await OpenAsync(Modal([Section("intro")]))).GetProperty("view");
        var first = await Api.JsonAsync("views.update", new { view_id = view.Str("id"), hash = view.Str("hash"), view = Modal([Section("intro", "Page 2")]) });

        var stale = await Api.JsonAsync("views.update", new { view_id = view.Str("id"), hash = view.Str("hash"), view = Modal([Section("intro", "Page 3")]) });

        first.AssertOk();
        Assert.NotEqual(view.Str("hash"), first.GetProperty("view").Str("hash"));
        stale.AssertError("hash_conflict");
        Assert.Contains("Page 2", Slack.Driver.OpenViewOf(Alice)!.ViewJson);
    }

    [Fact]
    public async Task Views_update_of_an_unknown_or_closed_view_is_not_found_and_needs_an_id()
    {
        var unknown = await Api.JsonAsync("views.update", new { view_id = "V0NOPE", view = Modal([Section("intro")]) });
        var byExternal = await Api.JsonAsync("views.update", new { external_id = "nope", view = Modal([Section("intro")]) });
        var neither = await Api.JsonAsync("views.update", new { view = Modal([Section("intro")]) });

        unknown.AssertError("not_found");
        byExternal.AssertError("not_found");
        neither.AssertError("invalid_arguments");
    }

    [Fact]
    public async Task Views_update_by_external_id_keeps_input_state_while_block_ids_stay()
    {
        await OpenAsync(Modal([TextInput("note"), TextInput("other")], externalId: "timeline-7"));
        var view = Slack.Driver.OpenViewOf(Alice)!;
        Slack.Driver.SetViewValue(Alice, view.Id, "note", "text", "typed");
        Slack.Driver.SetViewValue(Alice, view.Id, "other", "text", "lost");

        var updated = await Api.JsonAsync("views.update", new { external_id = "timeline-7", view = Modal([TextInput("note"), TextInput("renamed")], externalId: "timeline-7") });

        updated.AssertOk();
        var after = Slack.Driver.OpenViewOf(Alice)!;
        Assert.Equal("typed", after.StateOf("note", "text")!.Value.Str("value"));
        Assert.Equal(JsonValueKind.Null, after.StateOf("renamed", "text")!.Value.GetProperty("value").ValueKind);
        Assert.Null(after.StateOf("other", "text"));
    }

    [Fact]
    public async Task An_external_id_is_unique_in_the_workspace()
    {
        await OpenAsync(Modal([Section("intro")], externalId: "timeline-7"));

        var again = await Api.JsonAsync("views.open", new { trigger_id = Slack.Driver.IssueTriggerId(Bob), view = Modal([Section("intro")], externalId: "timeline-7") });

        again.AssertError("duplicate_external_id");
    }

    [Fact]
    public async Task A_view_of_more_than_100_blocks_is_invalid_arguments()
    {
        var view = (await OpenAsync(Modal([Section("intro")]))).GetProperty("view");
        var blocks = Enumerable.Range(0, 101).Select(i => Section($"b{i}")).ToArray();

        var update = await Api.JsonAsync("views.update", new { view_id = view.Str("id"), view = Modal(blocks) });

        update.AssertError("invalid_arguments");
        Assert.Contains(update.GetProperty("response_metadata").GetProperty("messages").EnumerateArray(), m => m.GetString()!.Contains("no more than 100 items"));
    }

    [Theory]
    [InlineData("duplicate block_id")]
    [InlineData("must provide submit")]
    [InlineData("missing required field: label")]
    [InlineData("must be a valid enum value [json-pointer:/view/blocks/0/element/type]")]
    [InlineData("must match one of the provided options")]
    [InlineData("must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]")]
    [InlineData("must be less than 25 characters [json-pointer:/view/title/text]")]
    public async Task Modals_slack_refuses_are_refused(string expected)
    {
        var option = new { text = new { type = "plain_text", text = "SEV1" }, value = "sev1" };
        object view = expected switch
        {
            "duplicate block_id" => Modal([Section("same"), Section("same")]),
            "must provide submit" => Modal([TextInput("note")], submit: false),
            "missing required field: label" => Modal([new { type = "input", block_id = "x", element = new { type = "plain_text_input", action_id = "a" } }]),
            "must be a valid enum value [json-pointer:/view/blocks/0/element/type]" => Modal([new { type = "input", block_id = "x", label = new { type = "plain_text", text = "L" }, element = new { type = "button", action_id = "a", text = new { type = "plain_text", text = "B" } } }]),
            "must match one of the provided options" => Modal([new { type = "input", block_id = "x", label = new { type = "plain_text", text = "L" }, element = new { type = "static_select", action_id = "a", options = new[] { option }, initial_option = new { text = new { type = "plain_text", text = "SEV2" }, value = "sev2" } } }]),
            "must be less than 25 characters [json-pointer:/view/title/text]" => Modal([Section("intro")], title: new string('t', 25)),
            _ => Modal([new { type = "input", block_id = "x", label = new { type = "plain_text", text = "L" }, element = new { type = "plain_text_input", action_id = "a", placeholder = new { type = "plain_text", text = new string('p', 151) } } }]),
        };

        var reply = await OpenAsync(view);

        reply.AssertError("invalid_arguments");
        Assert.Contains(reply.GetProperty("response_metadata").GetProperty("messages").EnumerateArray(), m => m.GetString()!.Contains(expected));
    }

    [Fact]
    public async Task Views_push_stacks_up_to_three_views()
    {
        var root = (await OpenAsync(Modal([Section("intro")]))).GetProperty("view");

        var second = await Api.JsonAsync("views.push", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view = Modal([Section("two")]) });
        var third = await Api.JsonAsync("views.push", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view = Modal([Section("three")]) });
        var fourth = await Api.JsonAsync("views.push", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view = Modal([Section("four")]) });

        second.AssertOk();
        Assert.Equal(root.Str("id"), second.GetProperty("view").Str("root_view_id"));
        Assert.Equal(root.Str("id"), second.GetProperty("view").Str("previous_view_id"));
        third.AssertOk();
        fourth.AssertError("push_limit_reached");
        Assert.Equal(3, Slack.Driver.OpenViewOf(Alice)!.StackDepth);
    }

    [Fact]
    public async Task Views_push_needs_a_fresh_trigger_and_an_open_modal()
    {
        var noModal = await Api.JsonAsync("views.push", new { trigger_id = Slack.Driver.IssueTriggerId(Alice), view = Modal([Section("two")]) });
        await OpenAsync(Modal([Section("intro")]));
        var stale = Slack.Driver.IssueTriggerId(Alice);
        Clock.Advance(TimeSpan.FromSeconds(3.5));

        var expired = await Api.JsonAsync("views.push", new { trigger_id = stale, view = Modal([Section("two")]) });

        noModal.AssertError("invalid_trigger_id");
        expired.AssertError("expired_trigger_id");
        Assert.Equal(1, Slack.Driver.OpenViewOf(Alice)!.StackDepth);
    }

    [Fact]
    public async Task A_new_views_open_replaces_the_users_stack()
    {
        var first = (await OpenAsync(Modal([Section("intro")]))).GetProperty("view").Str("id");

        var second = (await OpenAsync(Modal([Section("again")]))).GetProperty("view").Str("id");

        Assert.Equal(second, Slack.Driver.OpenViewOf(Alice)!.Id);
        Assert.False(Slack.Workspace.FindView(first)!.IsOpen);
        Assert.Equal(2, Slack.Workspace.Views.Count);
        (await Api.JsonAsync("views.update", new { view_id = first, view = Modal([Section("intro")]) })).AssertError("not_found");
    }

    private Task<JsonElement> OpenAsync(object view, string user = Alice) =>
        Api.JsonAsync("views.open", new { trigger_id = Slack.Driver.IssueTriggerId(user), view });
}
