using System.Text.Json.Nodes;

namespace IncidentBot.Tests.Builders;

/// <summary>
/// Slack payloads for what no human action in the fake's driver produces (a redelivery under another event id, a
/// button or a modal with no page to click): the fields Slack sends, named by what a test cares about. Each goes to
/// the driver as it is (<c>SendEventAsync</c>, <c>SendInteractionAsync</c>), which adds the envelope and signs it.
/// </summary>
public static class SlackPayloads
{
    /// <summary>A plain <c>message</c> event, as a person's post arrives.</summary>
    public static JsonObject MessageEvent(string channel, string user, string text, string ts) => new()
    {
        ["type"] = "message",
        ["channel"] = channel,
        ["user"] = user,
        ["text"] = text,
        ["ts"] = ts,
    };

    /// <summary>A <c>block_actions</c> payload: <paramref name="user"/> clicked the button <paramref name="actionId"/>.</summary>
    public static JsonObject BlockAction(string user, string actionId, string value, string? team = null)
    {
        var payload = new JsonObject { ["type"] = "block_actions", ["user"] = new JsonObject { ["id"] = user } };
        if (team is not null)
        {
            payload["team"] = new JsonObject { ["id"] = team };
        }

        payload["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["type"] = "button", ["value"] = value });
        return payload;
    }

    /// <summary>A <c>view_submission</c> of the modal <paramref name="callbackId"/> with one plain-text input filled in.</summary>
    public static JsonObject ViewSubmission(string user, string callbackId, string blockId, string actionId, string value, string viewId = "V1") => new()
    {
        ["type"] = "view_submission",
        ["user"] = new JsonObject { ["id"] = user },
        ["view"] = new JsonObject
        {
            ["id"] = viewId,
            ["callback_id"] = callbackId,
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    [blockId] = new JsonObject { [actionId] = new JsonObject { ["type"] = "plain_text_input", ["value"] = value } },
                },
            },
        },
    };
}
