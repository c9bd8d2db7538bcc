using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>conversations.create/invite/join/setTopic/archive/info/list/history/replies (§6.5, §6.6).</summary>
internal sealed class ConversationsApi(FakeSlackOptions options, FakeWorkspace workspace, ChannelGuard guard, SlackWire wire, BotEventEcho echo)
{
    public const int MaxInvitees = 100;
    public const int MaxTopicLength = 250;

    public void Register(ApiMethodTable methods)
    {
        methods.Write("conversations.create", Create);
        methods.Write("conversations.invite", Invite);
        methods.Write("conversations.join", Join);
        methods.Write("conversations.setTopic", SetTopic);
        methods.Write("conversations.archive", Archive);
        methods.FormOnly("conversations.info", Info);
        methods.FormOnly("conversations.list", List);
        methods.FormOnly("conversations.history", History);
        methods.FormOnly("conversations.replies", Replies);
    }

    private ApiResult Create(ApiArguments args)
    {
        var channel = workspace.CreateChannelAs(options.BotUserId, args.Get("name") ?? "", args.Flag("is_private"));
        AnnounceJoin(channel.Id, options.BotUserId, inviter: null);
        return ApiResult.Success(new JsonObject { ["channel"] = wire.Channel(channel) });
    }

    /// <summary>All or nothing unless <c>force</c>: one bad user fails the call and lists per-user errors.</summary>
    private ApiResult Invite(ApiArguments args)
    {
        var channel = guard.Writable(args.Require("channel", "channel_not_found"));
        var userIds = args.Require("users", "no_user").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (userIds.Length == 0)
        {
            throw new FakeSlackException("no_user");
        }

        if (userIds.Length > MaxInvitees)
        {
            throw new FakeSlackException("too_many_users");
        }

        var errors = new List<(string User, string Error)>();
        var valid = new List<string>();
        foreach (var userId in userIds.Distinct())
        {
            var error = userId == options.BotUserId ? "cant_invite_self"
                : workspace.FindUser(userId) is not { } user || user.Deleted ? "user_not_found"
                : channel.HasMember(userId) ? "already_in_channel"
                : null;
            if (error is null)
            {
                valid.Add(userId);
            }
            else
            {
                errors.Add((userId, error));
            }
        }

        if (errors.Count > 0 && !args.Flag("force"))
        {
            throw new FakeSlackException(errors[0].Error) { ExtraFields = new JsonObject { ["errors"] = InviteErrors(errors) } };
        }

        channel = workspace.AddMembers(channel.Id, valid);
        foreach (var userId in valid)
        {
            AnnounceJoin(channel.Id, userId, inviter: options.BotUserId);
        }

        var result = new JsonObject { ["channel"] = wire.Channel(channel) };
        if (errors.Count > 0)
        {
            result["errors"] = InviteErrors(errors);
        }

        return ApiResult.Success(result);
    }

    private ApiResult Join(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        if (channel.IsPrivate)
        {
            throw new FakeSlackException("method_not_supported_for_channel_type");
        }

        if (channel.IsArchived)
        {
            throw new FakeSlackException("is_archived");
        }

        if (channel.HasMember(options.BotUserId))
        {
            return ApiResult.Success(new JsonObject { ["channel"] = wire.Channel(channel) }).WithWarning("already_in_channel");
        }

        channel = workspace.AddMembers(channel.Id, [options.BotUserId]);
        AnnounceJoin(channel.Id, options.BotUserId, inviter: null);
        return ApiResult.Success(new JsonObject { ["channel"] = wire.Channel(channel) });
    }

    /// <summary>Slack's refusals in its order: an archived channel, #general, a channel the caller is not in.</summary>
    private ApiResult Archive(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        if (channel.IsArchived)
        {
            throw new FakeSlackException("already_archived");
        }

        if (channel.IsGeneral)
        {
            throw new FakeSlackException("cant_archive_general");
        }

        guard.Member(channel.Id);
        workspace.ArchiveChannel(channel.Id);
        return ApiResult.Success();
    }

    private ApiResult SetTopic(ApiArguments args)
    {
        var channel = guard.Writable(args.Require("channel", "channel_not_found"));
        var topic = args.Get("topic") ?? "";
        if (topic.Length > MaxTopicLength)
        {
            throw new FakeSlackException("too_long");
        }

        channel = workspace.SetTopic(channel.Id, options.BotUserId, topic);
        var message = workspace.Append(channel.Id, ts => new FakeMessage
        {
            ChannelId = channel.Id,
            Ts = ts,
            User = options.BotUserId,
            Subtype = "channel_topic",
            Text = $"set the channel topic: {topic}",
            ExtraFields = new Dictionary<string, string> { ["topic"] = topic }.ToImmutableDictionary(),
        });
        echo.MessagePosted(message);
        return ApiResult.Success(new JsonObject { ["channel"] = wire.Channel(channel) });
    }

    private ApiResult Info(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        return ApiResult.Success(new JsonObject { ["channel"] = wire.Channel(channel, args.Flag("include_num_members")) });
    }

    /// <summary>
    /// The channels the bot can see, in creation order: every public one, and the private ones it is in. Slack's
    /// rules: <c>types</c> defaults to public channels, <c>limit</c> defaults to 100 and is capped at 1,000, and the
    /// cursor is opaque; a page may hold fewer than <c>limit</c> and still not be the last.
    /// </summary>
    private ApiResult List(ApiArguments args)
    {
        var page = ChannelListPage.Read(workspace.Channels.Where(IsListed(args)), args);
        return ApiResult.Success(new JsonObject
        {
            ["channels"] = new JsonArray([.. page.Channels.Select(c => (JsonNode?)wire.Channel(c))]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = page.NextCursor },
        });
    }

    private Func<FakeChannel, bool> IsListed(ApiArguments args)
    {
        var types = (args.Get("types") ?? "public_channel").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (types.Length == 0 || types.Any(t => t is not ("public_channel" or "private_channel" or "mpim" or "im")))
        {
            throw new FakeSlackException("invalid_types");
        }

        var excludeArchived = args.Flag("exclude_archived");
        return c => (c.IsPrivate ? types.Contains("private_channel") && c.HasMember(options.BotUserId) : types.Contains("public_channel"))
                    && !(excludeArchived && c.IsArchived);
    }

    /// <summary>Newest first, top-level messages only (thread parents and broadcasts, not replies).</summary>
    private ApiResult History(ApiArguments args)
    {
        var channel = guard.Member(args.Require("channel", "channel_not_found"));
        var messages = workspace.Messages(channel.Id).Where(m => m.IsInChannelHistory).Reverse().ToList();
        var page = HistoryPage.Read(messages, args, newestFirst: true);
        return Page(page, args.Flag("include_all_metadata"));
    }

    /// <summary>The parent first, then the replies oldest first.</summary>
    private ApiResult Replies(ApiArguments args)
    {
        var channel = guard.Member(args.Require("channel", "channel_not_found"));
        var thread = workspace.Thread(channel.Id, args.Require("ts", "thread_not_found"));
        var page = HistoryPage.Read(thread, args, newestFirst: false);
        return Page(page, args.Flag("include_all_metadata"));
    }

    private ApiResult Page(HistoryPage page, bool includeMetadata) => ApiResult.Success(new JsonObject
    {
        ["messages"] = new JsonArray([.. page.Messages.Select(m => (JsonNode?)wire.Message(m, includeMetadata))]),
        ["has_more"] = page.HasMore,
        ["response_metadata"] = new JsonObject { ["next_cursor"] = page.NextCursor },
    });

    private static JsonArray InviteErrors(IEnumerable<(string User, string Error)> errors) =>
        new([.. errors.Select(e => (JsonNode?)new JsonObject { ["user"] = e.User, ["ok"] = false, ["error"] = e.Error })]);

    /// <summary>What Slack does when someone enters a channel: a channel_join message, and the events for it.</summary>
    private void AnnounceJoin(string channelId, string userId, string? inviter)
    {
        var join = FakeSlackDriver.AppendJoinMessage(workspace, channelId, userId, inviter);
        echo.MemberJoined(channelId, userId, inviter, join.Ts);
        echo.MessagePosted(join);
    }
}
