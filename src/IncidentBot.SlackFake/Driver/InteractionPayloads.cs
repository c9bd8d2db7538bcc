using System.Text.Json.Nodes;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// The interactivity payloads Slack sends when a person uses a modal, a Home tab or a message button (§4.2, §4.3):
/// block_actions from a view (container view, the whole view with its state, no response_url, no channel) or from a
/// message (container message, channel, message, response_url), view_submission and view_closed; and when they run
/// a shortcut: <c>shortcut</c> (global: no channel, no response_url) or <c>message_action</c> (the message, its
/// channel and a response_url).
/// </summary>
internal sealed class InteractionPayloads(FakeSlackOptions options, FakeWorkspace workspace, SlackWire wire)
{
    public JsonObject ViewBlockActions(string userId, FakeView view, JsonObject action, string triggerId)
    {
        var json = Envelope("block_actions", userId);
        json["container"] = new JsonObject { ["type"] = "view", ["view_id"] = view.Id };
        json["trigger_id"] = triggerId;
        json["view"] = JsonNode.Parse(view.ViewJson);
        json["actions"] = new JsonArray(action);
        json["state"] = new JsonObject { ["values"] = JsonNode.Parse(view.StateValues.GetRawText()) };
        return json;
    }

    public JsonObject MessageBlockActions(string userId, FakeMessage message, FakeChannel channel, JsonObject action, string triggerId, Uri responseUrl)
    {
        var json = Envelope("block_actions", userId);
        json["container"] = new JsonObject
        {
            ["type"] = "message",
            ["message_ts"] = message.Ts,
            ["channel_id"] = channel.Id,
            ["is_ephemeral"] = false,
        };
        json["trigger_id"] = triggerId;
        json["channel"] = Channel(channel);
        json["message"] = wire.Message(message);
        json["state"] = new JsonObject { ["values"] = new JsonObject() };
        json["response_url"] = responseUrl.ToString();
        json["actions"] = new JsonArray(action);
        return json;
    }

    public JsonObject ViewSubmission(string userId, FakeView view, string triggerId)
    {
        var json = Envelope("view_submission", userId);
        json["trigger_id"] = triggerId;
        json["view"] = JsonNode.Parse(view.ViewJson);
        json["response_urls"] = new JsonArray();
        return json;
    }

    public JsonObject ViewClosed(string userId, FakeView view, bool isCleared)
    {
        var json = Envelope("view_closed", userId);
        json["view"] = JsonNode.Parse(view.ViewJson);
        json["is_cleared"] = isCleared;
        return json;
    }

    public JsonObject GlobalShortcut(string userId, string callbackId, string triggerId)
    {
        var json = Envelope("shortcut", userId);
        json["callback_id"] = callbackId;
        json["trigger_id"] = triggerId;
        json["action_ts"] = ActionTs();
        return json;
    }

    public JsonObject MessageShortcut(string userId, FakeMessage message, FakeChannel channel, string callbackId, string triggerId, Uri responseUrl)
    {
        var json = Envelope("message_action", userId);
        json["callback_id"] = callbackId;
        json["trigger_id"] = triggerId;
        json["response_url"] = responseUrl.ToString();
        json["message_ts"] = message.Ts;
        json["message"] = wire.Message(message);
        json["channel"] = Channel(channel);
        json["action_ts"] = ActionTs();
        return json;
    }

    /// <summary>A clicked button as it appears in <c>actions</c>.</summary>
    public JsonObject ButtonAction(JsonObject button, string blockId)
    {
        var action = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = button["action_id"]?.DeepClone(),
            ["block_id"] = blockId,
            ["text"] = button["text"]?.DeepClone(),
        };
        foreach (var optional in new[] { "value", "style", "url" })
        {
            if (button[optional] is { } value)
            {
                action[optional] = value.DeepClone();
            }
        }

        action["action_ts"] = ActionTs();
        return action;
    }

    /// <summary>Slack hides private channel names from interactions as from commands.</summary>
    private static JsonObject Channel(FakeChannel channel) =>
        new() { ["id"] = channel.Id, ["name"] = channel.IsPrivate ? "privategroup" : channel.Name };

    private string ActionTs() => SlackTs.FromDateTimeOffset(options.Clock.GetUtcNow()).Value;

    private JsonObject Envelope(string type, string userId)
    {
        var user = workspace.FindUser(userId);
        return new JsonObject
        {
            ["type"] = type,
            ["user"] = new JsonObject
            {
                ["id"] = userId,
                ["username"] = user?.Name ?? "",
                ["name"] = user?.Name ?? "",
                ["team_id"] = options.TeamId,
            },
            ["api_app_id"] = options.AppId,
            ["token"] = options.VerificationToken,
            ["team"] = new JsonObject { ["id"] = options.TeamId, ["domain"] = options.TeamDomain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
        };
    }
}
