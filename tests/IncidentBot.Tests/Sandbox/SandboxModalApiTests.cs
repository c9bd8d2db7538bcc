using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Tests.SlackFake;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Tests.Sandbox;

/// <summary>The modal open for the person on the page: shown in the page's state, used through /sandbox/api/views/….</summary>
public sealed class SandboxModalApiTests
{
    private const string Henry = "U0HENRY001";

    internal static object ReviewModal(bool notifyOnClose = false) => new
    {
        type = "modal",
        callback_id = "sandbox_probe",
        notify_on_close = notifyOnClose,
        title = new { type = "plain_text", text = "Timeline" },
        submit = new { type = "plain_text", text = "Publish" },
        close = new { type = "plain_text", text = "Cancel" },
        blocks = new object[]
        {
            new { type = "header", block_id = "head", text = new { type = "plain_text", text = "INC-1 <timeline>" } },
            new { type = "section", block_id = "entry_1", text = new { type = "mrkdwn", text = "*10:02* db down" }, accessory = new { type = "button", action_id = "edit_entry", text = new { type = "plain_text", text = "Edit" }, value = "1" } },
            new { type = "actions", block_id = "paging", elements = new[] { new { type = "button", action_id = "next_page", text = new { type = "plain_text", text = "Next" }, style = "primary" } } },
            new { type = "input", block_id = "note", optional = true, hint = new { type = "plain_text", text = "Shown in the draft" }, label = new { type = "plain_text", text = "Note" }, element = new { type = "plain_text_input", action_id = "text", multiline = true } },
        },
    };

    /// <summary>Opens a modal for <paramref name="user"/> straight through the fake's views.open, as a bot would.</summary>
    internal static async Task<string> OpenModalAsync(SandboxRun sandbox, string user, object view)
    {
        using var api = new SlackApiTestClient(sandbox.Slack);
        var opened = await api.JsonAsync("views.open", new { trigger_id = sandbox.Slack.Driver.IssueTriggerId(user), view });
        opened.AssertOk();
        return opened.GetProperty("view").Str("id");
    }

    [Fact]
    public async Task The_modal_open_for_the_person_is_in_the_page_state_with_safe_html()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var viewId = await OpenModalAsync(sandbox, Henry, ReviewModal());

        // Act
        var mine = await StateAsync(sandbox, Henry);
        var damians = await StateAsync(sandbox, "U0DAMIAN01");

        // Assert
        var modal = mine.GetProperty("modal");
        Assert.Equal(viewId, modal.Str("id"));
        Assert.Equal("Timeline", modal.Str("title"));
        Assert.Equal("Publish", modal.Str("submit"));
        var blocks = modal.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("INC-1 &lt;timeline&gt;", blocks[0].Str("html"));
        Assert.Equal("<strong>10:02</strong> db down", blocks[1].Str("html"));
        Assert.Equal("edit_entry", blocks[1].GetProperty("buttons")[0].Str("actionId"));
        Assert.Equal("primary", blocks[2].GetProperty("buttons")[0].Str("style"));
        var input = blocks[3].GetProperty("input");
        Assert.True(input.GetProperty("optional").GetBoolean());
        Assert.True(input.GetProperty("multiline").GetBoolean());
        Assert.Equal("Shown in the draft", input.Str("hint"));
        Assert.Equal(JsonValueKind.Null, damians.GetProperty("modal").ValueKind);
    }

    [Fact]
    public async Task A_click_and_a_submit_on_the_page_reach_the_bot_with_what_was_typed()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var viewId = await OpenModalAsync(sandbox, Henry, ReviewModal());
        var typed = new[] { new { blockId = "note", actionId = "text", value = "rolled back" } };

        // Act
        var clicked = await sandbox.Http.PostAsJsonAsync("sandbox/api/views/action", new { user = Henry, viewId, actionId = "edit_entry", blockId = "entry_1", values = typed });
        await sandbox.Http.PostAsJsonAsync("sandbox/api/views/submit", new { user = Henry, viewId, values = typed });

        // Assert
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        var payloads = sandbox.Slack.Driver.Deliveries.Where(d => d.Path == "slack/interactions").Select(Payload).ToList();
        var click = Assert.Single(payloads, p => p.Str("type") == "block_actions");
        Assert.Equal("edit_entry", click.GetProperty("actions")[0].Str("action_id"));
        Assert.Equal("rolled back", click.GetProperty("view").GetProperty("state").GetProperty("values").GetProperty("note").GetProperty("text").Str("value"));
        var submission = Assert.Single(payloads, p => p.Str("type") == "view_submission");
        Assert.Equal(viewId, submission.GetProperty("view").Str("id"));
    }

    [Fact]
    public async Task Close_on_the_page_closes_the_modal_and_a_stranger_cannot_act_on_it()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var viewId = await OpenModalAsync(sandbox, Henry, ReviewModal());

        // Act
        var stranger = await sandbox.Http.PostAsJsonAsync("sandbox/api/views/close", new { user = "U0DAMIAN01", viewId });
        var closed = await sandbox.Http.PostAsJsonAsync("sandbox/api/views/close", new { user = Henry, viewId });
        var state = await StateAsync(sandbox, Henry);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(JsonValueKind.Null, state.GetProperty("modal").ValueKind);
        Assert.False(sandbox.Slack.Workspace.FindView(viewId)!.IsOpen);
    }

    internal static JsonElement Payload(IncidentBot.SlackFake.Driver.DeliveryResult delivery) =>
        JsonDocument.Parse(QueryHelpers.ParseQuery(delivery.RequestBody)["payload"].ToString()).RootElement;

    internal static async Task<JsonElement> StateAsync(SandboxRun sandbox, string user) =>
        await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/api/state?user={user}");
}
