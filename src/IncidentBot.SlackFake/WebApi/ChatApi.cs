using System.Text.Json.Nodes;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>chat.postMessage, chat.postEphemeral, chat.update, chat.getPermalink (§6.3, §6.4).</summary>
internal sealed class ChatApi(FakeSlackOptions options, FakeWorkspace workspace, ChannelGuard guard, SlackWire wire, BotEventEcho echo)
{
    public void Register(ApiMethodTable methods)
    {
        methods.Write("chat.postMessage", PostMessage);
        methods.Write("chat.postEphemeral", PostEphemeral);
        methods.Write("chat.update", Update);
        methods.FormOnly("chat.getPermalink", GetPermalink);
    }

    private ApiResult PostMessage(ApiArguments args)
    {
        var channel = guard.Writable(guard.ResolveIdOrName(args.Get("channel")));
        var content = MessageContent.Read(args);
        if (content.IsEmpty)
        {
            throw new FakeSlackException("no_text");
        }

        var metadata = MessageContent.ReadMetadata(args);
        var threadTs = args.Get("thread_ts");
        var broadcast = threadTs is not null && args.Flag("reply_broadcast");
        var message = workspace.Append(channel.Id, ts => new FakeMessage
        {
            ChannelId = channel.Id,
            Ts = ts,
            User = options.BotUserId,
            Text = content.Text ?? "",
            Blocks = content.Blocks,
            ThreadTs = threadTs,
            Subtype = broadcast ? "thread_broadcast" : null,
            BotId = options.BotId,
            AppId = options.AppId,
            Team = options.TeamId,
            Metadata = metadata,
        });
        echo.MessagePosted(message);

        var result = ApiResult.Success(new JsonObject
        {
            ["channel"] = channel.Id,
            ["ts"] = message.Ts,
            ["message"] = wire.Message(message),
        });
        return content.Truncated ? result.WithWarning("message_truncated") : result;
    }

    private ApiResult PostEphemeral(ApiArguments args)
    {
        var channel = guard.Writable(guard.ResolveIdOrName(args.Get("channel")));
        var userId = args.Require("user", "user_not_found");
        if (workspace.FindUser(userId) is null)
        {
            throw new FakeSlackException("user_not_found");
        }

        if (!channel.HasMember(userId))
        {
            throw new FakeSlackException("user_not_in_channel");
        }

        var content = MessageContent.Read(args);
        if (content.IsEmpty)
        {
            throw new FakeSlackException("no_text");
        }

        var messageTs = workspace.NextTs(channel.Id);
        workspace.AddEphemeral(new FakeEphemeralMessage(channel.Id, userId, messageTs, content.Text ?? "", content.Blocks, args.Get("thread_ts")));
        return ApiResult.Success(new JsonObject { ["message_ts"] = messageTs });
    }

    /// <summary>Only the bot's own messages; arguments left out keep their old value, an empty blocks array removes the blocks.</summary>
    private ApiResult Update(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        var ts = args.Require("ts", "message_not_found");
        var content = MessageContent.Read(args);
        if (content.IsEmpty && args.Get("blocks") is null)
        {
            throw new FakeSlackException("no_text");
        }

        var metadata = MessageContent.ReadMetadata(args);
        var edit = workspace.ReplaceMessage(channel.Id, ts, options.BotUserId, m =>
        {
            if (m.BotId != options.BotId)
            {
                throw new FakeSlackException("cant_update_message");
            }

            return m with
            {
                Text = content.Text ?? m.Text,
                Blocks = content.Blocks is { } blocks ? (blocks.GetArrayLength() == 0 ? null : blocks) : m.Blocks,
                Metadata = metadata ?? m.Metadata,
            };
        });
        echo.MessageChanged(edit);

        var result = ApiResult.Success(new JsonObject
        {
            ["channel"] = channel.Id,
            ["ts"] = edit.Current.Ts,
            ["text"] = edit.Current.Text,
            ["message"] = wire.Message(edit.Current),
        });
        return content.Truncated ? result.WithWarning("message_truncated") : result;
    }

    private ApiResult GetPermalink(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        var message = workspace.FindMessage(channel.Id, args.Require("message_ts", "message_not_found"))
            ?? throw new FakeSlackException("message_not_found");
        var permalink = $"https://{options.TeamDomain}.slack.com/archives/{channel.Id}/p{SlackTs.Parse(message.Ts).ToDigits()}";
        if (message.IsReply)
        {
            permalink += $"?thread_ts={message.ThreadTs}&cid={channel.Id}";
        }

        return ApiResult.Success(new JsonObject { ["channel"] = channel.Id, ["permalink"] = permalink });
    }
}
