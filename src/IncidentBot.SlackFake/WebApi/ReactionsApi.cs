using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>reactions.add and reactions.remove (§6.8); Slack echoes the bot's own reactions as events.</summary>
internal sealed class ReactionsApi(FakeSlackOptions options, FakeWorkspace workspace, ChannelGuard guard, BotEventEcho echo)
{
    public void Register(ApiMethodTable methods)
    {
        methods.Write("reactions.add", Add);
        methods.Write("reactions.remove", Remove);
    }

    private ApiResult Add(ApiArguments args)
    {
        var (channel, ts, name) = Read(args);
        if (channel.IsArchived)
        {
            throw new FakeSlackException("is_archived");
        }

        var message = workspace.AddReaction(options.BotUserId, channel.Id, ts, name);
        echo.ReactionAdded(options.BotUserId, name, message, workspace.NextTs(channel.Id));
        return ApiResult.Success();
    }

    private ApiResult Remove(ApiArguments args)
    {
        var (channel, ts, name) = Read(args);
        var message = workspace.RemoveReaction(options.BotUserId, channel.Id, ts, name);
        echo.ReactionRemoved(options.BotUserId, name, message, workspace.NextTs(channel.Id));
        return ApiResult.Success();
    }

    private (FakeChannel Channel, string Ts, string Name) Read(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        var ts = args.Require("timestamp", "no_item_specified");
        var name = args.Get("name") ?? throw new FakeSlackException("invalid_name");
        return (channel, ts, name);
    }
}
