using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>usergroups.users.list: the members of a user group; <c>no_such_subteam</c> for an unknown one.</summary>
internal sealed class UsergroupsApi(FakeWorkspace workspace)
{
    public void Register(ApiMethodTable methods) => methods.FormOnly("usergroups.users.list", UsersList);

    private ApiResult UsersList(ApiArguments args)
    {
        var group = workspace.FindUsergroup(args.Require("usergroup", "no_such_subteam")) ?? throw new FakeSlackException("no_such_subteam");
        return ApiResult.Success(new JsonObject { ["users"] = new JsonArray([.. group.Members.Select(m => (JsonNode)m)]) });
    }
}
