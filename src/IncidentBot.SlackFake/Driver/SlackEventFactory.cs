using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>Builds the Events API payloads Slack sends for workspace changes (§3.2, §3.4).</summary>
internal sealed class SlackEventFactory(FakeSlackOptions options, SlackWire wire)
{
    public JsonObject Message(FakeMessage message, FakeChannel channel)
    {
        var json = wire.Message(message, includeMetadata: false);
        json["channel"] = channel.Id;
        json["event_ts"] = message.Ts;
        json["channel_type"] = MessageChannelType(channel);
        return json;
    }

    public JsonObject AppMention(FakeMessage message, FakeChannel channel)
    {
        var json = wire.Message(message, includeMetadata: false);
        json["type"] = "app_mention";
        json["channel"] = channel.Id;
        json["event_ts"] = message.Ts;
        return json;
    }

    public JsonObject MessageChanged(MessageEdit edit, FakeChannel channel) => new()
    {
        ["type"] = "message",
        ["subtype"] = "message_changed",
        ["hidden"] = true,
        ["channel"] = channel.Id,
        ["ts"] = edit.EditTs,
        ["message"] = wire.Message(edit.Current, includeMetadata: false),
        ["previous_message"] = wire.Message(edit.Previous, includeMetadata: false),
        ["event_ts"] = edit.EditTs,
        ["channel_type"] = MessageChannelType(channel),
    };

    public JsonObject MessageDeleted(MessageDeletion deletion, FakeChannel channel) => new()
    {
        ["type"] = "message",
        ["subtype"] = "message_deleted",
        ["hidden"] = true,
        ["channel"] = channel.Id,
        ["ts"] = deletion.DeletionTs,
        ["deleted_ts"] = deletion.Deleted.Ts,
        ["previous_message"] = wire.Message(deletion.Deleted, includeMetadata: false),
        ["event_ts"] = deletion.DeletionTs,
        ["channel_type"] = MessageChannelType(channel),
    };

    /// <param name="type"><c>reaction_added</c> or <c>reaction_removed</c>.</param>
    public JsonObject Reaction(string type, string userId, string reaction, FakeMessage message, string eventTs)
    {
        var json = new JsonObject
        {
            ["type"] = type,
            ["user"] = userId,
            ["reaction"] = reaction,
        };
        if (message.User is not null)
        {
            json["item_user"] = message.User;
        }

        json["item"] = new JsonObject { ["type"] = "message", ["channel"] = message.ChannelId, ["ts"] = message.Ts };
        json["event_ts"] = eventTs;
        return json;
    }

    /// <summary>Here <c>channel_type</c> is a letter, unlike message events.</summary>
    public JsonObject MemberJoined(string userId, FakeChannel channel, string? inviterId, string eventTs)
    {
        var json = new JsonObject
        {
            ["type"] = "member_joined_channel",
            ["user"] = userId,
            ["channel"] = channel.Id,
            ["channel_type"] = channel.IsPrivate ? "G" : "C",
            ["team"] = options.TeamId,
        };
        if (inviterId is not null)
        {
            json["inviter"] = inviterId;
        }

        json["event_ts"] = eventTs;
        return json;
    }

    public JsonObject Envelope(JsonNode innerEvent, string eventId, long eventTime, string? channelId) => new()
    {
        ["token"] = options.VerificationToken,
        ["team_id"] = options.TeamId,
        ["context_team_id"] = options.TeamId,
        ["context_enterprise_id"] = null,
        ["api_app_id"] = options.AppId,
        ["event"] = innerEvent,
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = eventTime,
        ["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = null,
            ["team_id"] = options.TeamId,
            ["user_id"] = options.BotUserId,
            ["is_bot"] = true,
            ["is_enterprise_install"] = false,
        }),
        ["is_ext_shared_channel"] = false,
        ["event_context"] = EventContext(innerEvent, channelId),
    };

    public static string MessageChannelType(FakeChannel channel) => channel.IsPrivate ? "group" : "channel";

    /// <summary>Opaque to apps; shaped like Slack's ("4-" + base64 of a small JSON).</summary>
    private string EventContext(JsonNode innerEvent, string? channelId)
    {
        var context = new JsonObject
        {
            ["et"] = innerEvent["type"]?.GetValue<string>(),
            ["tid"] = options.TeamId,
            ["aid"] = options.AppId,
            ["cid"] = channelId,
        };
        return "4-" + Convert.ToBase64String(Encoding.UTF8.GetBytes(SlackJson.Serialize(context))).TrimEnd('=');
    }
}
