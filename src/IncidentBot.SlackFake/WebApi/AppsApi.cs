using System.Text.Json.Nodes;
using IncidentBot.SlackFake.SocketMode;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>apps.connections.open (§5.1): app-level token in the header only; answers a one-use WebSocket URL.</summary>
internal sealed class AppsApi(FakeSocketMode socketMode)
{
    public void Register(ApiMethodTable methods) => methods.AppLevel("apps.connections.open", Open);

    private ApiResult Open(ApiArguments args) => ApiResult.Success(new JsonObject { ["url"] = socketMode.IssueUrl().ToString() });
}
