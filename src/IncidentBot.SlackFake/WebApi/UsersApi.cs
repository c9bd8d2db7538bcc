using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>users.info (§6.7).</summary>
internal sealed class UsersApi(FakeSlackOptions options, FakeWorkspace workspace, SlackWire wire)
{
    public void Register(ApiMethodTable methods) => methods.FormOnly("users.info", Info);

    private ApiResult Info(ApiArguments args)
    {
        var user = workspace.FindUser(args.Require("user", "user_not_found")) ?? throw new FakeSlackException("user_not_found");
        return ApiResult.Success(new JsonObject { ["user"] = wire.User(user, options.Clock.GetUtcNow()) });
    }
}
