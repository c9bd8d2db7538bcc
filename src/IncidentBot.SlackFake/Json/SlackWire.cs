using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Json;

/// <summary>
/// Renders workspace snapshots in Slack's wire shape. One place, so a Web API reply and the event
/// Slack sends for the same message can never disagree.
/// </summary>
internal sealed class SlackWire(FakeSlackOptions options)
{
    public JsonObject Message(FakeMessage m, bool includeMetadata = true)
    {
        var json = new JsonObject { ["type"] = "message" };
        if (m.Subtype is not null)
        {
            json["subtype"] = m.Subtype;
        }

        json["text"] = m.Text;
        if (m.User is not null)
        {
            json["user"] = m.User;
        }

        json["ts"] = m.Ts;
        AddIfSet(json, "client_msg_id", m.ClientMsgId);
        AddIfSet(json, "team", m.Team);
        if (m.BotId is not null)
        {
            json["bot_id"] = m.BotId;
            json["app_id"] = m.AppId;
            json["bot_profile"] = BotProfile();
        }

        if (m.Blocks is { } blocks)
        {
            json["blocks"] = SlackJson.ToNode(blocks);
        }

        if (m.ThreadTs is not null)
        {
            json["thread_ts"] = m.ThreadTs;
        }

        AddIfSet(json, "parent_user_id", m.ParentUserId);
        if (m.ReplyCount > 0)
        {
            json["reply_count"] = m.ReplyCount;
            json["reply_users_count"] = m.ReplyUsers.Count;
            json["latest_reply"] = m.LatestReply;
            json["reply_users"] = new JsonArray([.. m.ReplyUsers.Select(u => (JsonNode?)u)]);
        }

        if (m.Edited is { } edited)
        {
            json["edited"] = new JsonObject { ["user"] = edited.User, ["ts"] = edited.Ts };
        }

        if (!m.Files.IsEmpty)
        {
            json["files"] = new JsonArray([.. m.Files.Select(f => (JsonNode?)File(f))]);
            json["upload"] = false;
            json["display_as_bot"] = false;
        }

        if (!m.Reactions.IsEmpty)
        {
            json["reactions"] = new JsonArray([.. m.Reactions.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["users"] = new JsonArray([.. r.Users.Select(u => (JsonNode?)u)]),
                ["count"] = r.Users.Count,
            })]);
        }

        if (m.IsPinned)
        {
            json["pinned_to"] = new JsonArray(m.ChannelId);
        }

        foreach (var (key, value) in m.ExtraFields)
        {
            json[key] = value;
        }

        if (includeMetadata && m.Metadata is { } metadata)
        {
            json["metadata"] = new JsonObject
            {
                ["event_type"] = metadata.EventType,
                ["event_payload"] = SlackJson.ToNode(metadata.EventPayload),
            };
        }

        return json;
    }

    public JsonObject Channel(FakeChannel c, bool includeNumMembers = false)
    {
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["is_channel"] = !c.IsPrivate,
            ["is_group"] = c.IsPrivate,
            ["is_im"] = false,
            ["is_mpim"] = false,
            ["is_private"] = c.IsPrivate,
            ["created"] = c.Created,
            ["is_archived"] = c.IsArchived,
            ["is_general"] = c.IsGeneral,
            ["unlinked"] = 0,
            ["name_normalized"] = c.Name,
            ["is_shared"] = false,
            ["is_org_shared"] = false,
            ["is_ext_shared"] = false,
            ["is_pending_ext_shared"] = false,
            ["context_team_id"] = options.TeamId,
            ["creator"] = c.Creator,
            ["is_member"] = c.HasMember(options.BotUserId),
            ["topic"] = ChannelText(c.Topic),
            ["purpose"] = ChannelText(c.Purpose),
        };
        if (includeNumMembers)
        {
            json["num_members"] = c.Members.Count;
        }

        return json;
    }

    public JsonObject User(FakeUser u, DateTimeOffset now)
    {
        var (label, offset) = Zone(u.Tz, now);
        return new JsonObject
        {
            ["id"] = u.Id,
            ["team_id"] = u.TeamId,
            ["name"] = u.Name,
            ["deleted"] = u.Deleted,
            ["real_name"] = u.RealName,
            ["tz"] = u.Tz,
            ["tz_label"] = label,
            ["tz_offset"] = offset,
            ["is_bot"] = u.IsBot,
            ["is_app_user"] = false,
            ["profile"] = new JsonObject
            {
                ["real_name"] = u.RealName,
                ["display_name"] = u.DisplayName,
                ["real_name_normalized"] = u.RealName,
                ["display_name_normalized"] = u.DisplayName,
                ["team"] = u.TeamId,
            },
        };
    }

    public JsonObject File(FakeFile f) => new()
    {
        ["id"] = f.Id,
        ["created"] = f.Created,
        ["timestamp"] = f.Created,
        ["name"] = f.Name,
        ["title"] = f.Title ?? f.Name,
        ["mimetype"] = "text/plain",
        ["filetype"] = "text",
        ["user"] = f.User,
        ["size"] = f.Content?.Length ?? f.DeclaredLength,
        ["url_private"] = $"https://files.slack.com/files-pri/{options.TeamId}-{f.Id}/{Uri.EscapeDataString(f.Name)}",
        ["permalink"] = $"https://{options.TeamDomain}.slack.com/files/{f.User}/{f.Id}/{Uri.EscapeDataString(f.Name)}",
    };

    public JsonObject BotProfile() => new()
    {
        ["id"] = options.BotId,
        ["app_id"] = options.AppId,
        ["name"] = options.BotName,
        ["deleted"] = false,
        ["team_id"] = options.TeamId,
    };

    private static JsonObject ChannelText(FakeChannelText text) => new()
    {
        ["value"] = text.Value,
        ["creator"] = text.Creator,
        ["last_set"] = text.LastSet,
    };

    private static (string Label, int OffsetSeconds) Zone(string tz, DateTimeOffset now)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var zone))
        {
            return (tz, 0);
        }

        var offset = zone.GetUtcOffset(now);
        var label = zone.IsDaylightSavingTime(now) ? zone.DaylightName : zone.StandardName;
        return (label, (int)offset.TotalSeconds);
    }

    private static void AddIfSet(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
