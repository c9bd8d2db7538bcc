using IncidentBot.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Sandbox.Page;
using IncidentBot.SlackFake;
using IncidentBot.Tests.SlackFake;
using static IncidentBot.Tests.Sandbox.SandboxModalApiTests;

namespace IncidentBot.Tests.Sandbox;

/// <summary>
/// What a person starts from the page's Slack chrome (the ⚡ menu, a message's "More actions", the Home tab) and the
/// buttons in the bot's messages, each reaching the bot as Slack sends it. The bot's answers are not asserted: only
/// what reached it.
/// </summary>
public sealed class SandboxShortcutApiTests
{
    private const string Henry = "U0HENRY001";

    internal const string ManifestFixture = """
        display_information:
          name: IncidentBot
        features:
          app_home:
            home_tab_enabled: true
          shortcuts:
            - name: Declare incident
              type: global
              callback_id: declare_incident
              description: Open a new incident
            - name: Declare incident from this message
              type: message
              callback_id: declare_from_message
              description: Open an incident about this message
            - name: Add to incident timeline
              type: message
              callback_id: add_to_timeline
              description: Pin this message to the incident's timeline
          slash_commands:
            - command: /incident
        """;

    internal static IReadOnlyList<AppShortcut> Shortcuts => ManifestShortcuts.Parse(ManifestFixture);

    internal static object CardBlocks() => new object[]
    {
        new { type = "section", block_id = "summary", text = new { type = "mrkdwn", text = "*INC-1* db down" }, accessory = new { type = "button", action_id = "post_update", text = new { type = "plain_text", text = "Post update" } } },
        new
        {
            type = "actions",
            block_id = "card",
            elements = new object[]
            {
                new { type = "button", action_id = "set_severity", text = new { type = "plain_text", text = "Set severity" } },
                new
                {
                    type = "button", action_id = "close_incident", style = "danger", text = new { type = "plain_text", text = "Close" }, value = "1",
                    confirm = new { title = new { type = "plain_text", text = "Close INC-1?" }, text = new { type = "plain_text", text = "The post-mortem draft <is> compiled." }, confirm = new { type = "plain_text", text = "Close it" }, deny = new { type = "plain_text", text = "Keep open" } },
                },
            },
        },
    };

    /// <summary>The bot's incident card in #general, posted through the fake's chat.postMessage as the bot would.</summary>
    internal static async Task<(string Channel, string Ts)> PostCardAsync(SandboxRun sandbox)
    {
        var channel = sandbox.Slack.Workspace.Channels.First(c => c.Name == "general").Id;
        using var api = new SlackApiTestClient(sandbox.Slack);
        var posted = await api.JsonAsync("chat.postMessage", new { channel, text = "INC-1 db down", blocks = CardBlocks() });
        posted.AssertOk();
        return (channel, posted.Str("ts"));
    }

    internal static IEnumerable<JsonElement> Interactions(SandboxRun sandbox) =>
        sandbox.Slack.Driver.Deliveries.Where(d => d.Path == "slack/interactions").Select(Payload);

    [Fact]
    public void The_manifests_shortcuts_are_read_by_type_and_the_embedded_manifest_parses()
    {
        var shortcuts = ManifestShortcuts.Parse(ManifestFixture);
        var embedded = ManifestShortcuts.FromEmbeddedManifest();

        Assert.Equal(
            [new AppShortcut("declare_incident", "Declare incident", ShortcutType.Global), new AppShortcut("declare_from_message", "Declare incident from this message", ShortcutType.Message), new AppShortcut("add_to_timeline", "Add to incident timeline", ShortcutType.Message)],
            shortcuts);
        Assert.Empty(ManifestShortcuts.Parse("features:\n  bot_user:\n    display_name: x\n"));
        Assert.All(embedded, s => Assert.False(string.IsNullOrEmpty(s.CallbackId)));
    }

    [Fact]
    public async Task The_page_state_lists_the_shortcuts_and_shortcuts_reach_the_bot()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        sandbox.Slack.Options.Shortcuts = Shortcuts;
        var (channel, ts) = await PostCardAsync(sandbox);

        // Act
        var state = await StateAsync(sandbox, Henry);
        var global = await sandbox.Http.PostAsJsonAsync("sandbox/api/shortcuts/global", new { user = Henry, callbackId = "declare_incident" });
        var onMessage = await sandbox.Http.PostAsJsonAsync("sandbox/api/shortcuts/message", new { user = Henry, channel, ts, callbackId = "add_to_timeline" });
        var undeclared = await sandbox.Http.PostAsJsonAsync("sandbox/api/shortcuts/global", new { user = Henry, callbackId = "add_to_timeline" });
        var stranger = await sandbox.Http.PostAsJsonAsync("sandbox/api/shortcuts/global", new { user = "U0NOBODY01", callbackId = "declare_incident" });

        // Assert
        var listed = state.GetProperty("shortcuts").EnumerateArray().Select(s => (s.Str("callbackId"), s.Str("type"))).ToList();
        Assert.Equal([("declare_incident", "global"), ("declare_from_message", "message"), ("add_to_timeline", "message")], listed);
        Assert.Equal(HttpStatusCode.OK, global.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onMessage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, undeclared.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        var payloads = Interactions(sandbox).ToList();
        Assert.Equal(2, payloads.Count);
        Assert.Equal(("shortcut", "declare_incident", Henry), (payloads[0].Str("type"), payloads[0].Str("callback_id"), payloads[0].GetProperty("user").Str("id")));
        Assert.Equal(("message_action", "add_to_timeline", ts), (payloads[1].Str("type"), payloads[1].Str("callback_id"), payloads[1].Str("message_ts")));
    }

    [Fact]
    public async Task A_message_button_click_reaches_the_bot_and_the_page_shows_the_buttons_with_their_confirm()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var (channel, ts) = await PostCardAsync(sandbox);

        // Act
        var state = await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/api/state?user={Henry}&channel={channel}");
        var clicked = await sandbox.Http.PostAsJsonAsync("sandbox/api/messages/action", new { user = Henry, channel, ts, actionId = "close_incident", blockId = "card" });
        var missing = await sandbox.Http.PostAsJsonAsync("sandbox/api/messages/action", new { user = Henry, channel, ts, actionId = "no_such_button" });

        // Assert
        var html = state.GetProperty("items").EnumerateArray().Single(i => i.Str("ts") == ts).Str("html");
        Assert.Contains("<button type=\"button\" class=\"msg-button\" data-action-id=\"post_update\" data-block-id=\"summary\">Post update</button>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"msg-button danger\" data-action-id=\"close_incident\" data-block-id=\"card\" data-confirm-title=\"Close INC-1?\" data-confirm-text=\"The post-mortem draft &lt;is&gt; compiled.\" data-confirm-yes=\"Close it\" data-confirm-no=\"Keep open\">Close</button>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var payload = Assert.Single(Interactions(sandbox));
        Assert.Equal("block_actions", payload.Str("type"));
        Assert.Equal(ts, payload.GetProperty("container").Str("message_ts"));
        Assert.Equal("close_incident", payload.GetProperty("actions")[0].Str("action_id"));
    }

    [Fact]
    public async Task Opening_the_home_tab_sends_app_home_opened_and_its_buttons_reach_the_bot()
    {
        // Arrange: the real bot answers app_home_opened by publishing its Home tab.
        await using var sandbox = await SandboxRun.StartAsync();

        // Act
        var opened = await sandbox.Http.PostAsJsonAsync("sandbox/api/home/open", new { user = Henry });
        var home = await Eventually.Value(() => sandbox.Slack.Workspace.HomeViewOf(Henry), "the bot to publish the Home tab", sandbox.Describe, TimeSpan.FromSeconds(30));
        var state = await StateAsync(sandbox, Henry);
        var clicked = await sandbox.Http.PostAsJsonAsync("sandbox/api/views/action", new { user = Henry, viewId = home.Id, actionId = "home_declare", blockId = "home-declare", values = Array.Empty<object>() });

        // Assert
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var homeOpened = sandbox.Slack.Driver.Deliveries.Where(d => d.Path == "slack/events").Select(d => JsonDocument.Parse(d.RequestBody).RootElement.GetProperty("event"))
            .First(e => e.Str("type") == "app_home_opened");
        Assert.Equal((Henry, "home"), (homeOpened.Str("user"), homeOpened.Str("tab")));
        var shown = state.GetProperty("home");
        Assert.Equal(home.Id, shown.Str("id"));
        Assert.Contains(shown.GetProperty("blocks").EnumerateArray(), b => b.TryGetProperty("buttons", out var buttons) && buttons.EnumerateArray().Any(x => x.Str("actionId") == "home_declare"));
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        var payload = Assert.Single(Interactions(sandbox));
        Assert.Equal(("block_actions", "home"), (payload.Str("type"), payload.GetProperty("view").Str("type")));
        Assert.Equal("declare_incident", sandbox.Slack.Driver.OpenViewOf(Henry)?.CallbackId);
    }

}
