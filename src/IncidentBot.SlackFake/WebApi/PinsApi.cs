using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>pins.add (§6.8).</summary>
internal sealed class PinsApi(FakeWorkspace workspace, ChannelGuard guard)
{
    public void Register(ApiMethodTable methods) => methods.Write("pins.add", Add);

    private ApiResult Add(ApiArguments args)
    {
        var channel = guard.Member(args.Require("channel", "channel_not_found"));
        workspace.Pin(channel.Id, args.Require("timestamp", "no_item_specified"));
        return ApiResult.Success();
    }
}
