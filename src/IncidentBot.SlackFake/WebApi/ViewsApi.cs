using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// views.open, views.update and views.push (§4.4): a fresh, unused trigger_id where one is needed, a modal within
/// Slack's limits (<see cref="ViewValidator"/>), and the user's modal stack kept as Slack keeps it. views.publish:
/// the user's Home tab, one per user, replaced on each publish (a stale <c>hash</c> is a <c>hash_conflict</c>).
/// </summary>
internal sealed class ViewsApi(FakeWorkspace workspace, TriggerIdRegistry triggers)
{
    public void Register(ApiMethodTable methods)
    {
        methods.Write("views.open", Open);
        methods.Write("views.update", Update);
        methods.Write("views.push", Push);
        methods.Write("views.publish", Publish);
    }

    private ApiResult Open(ApiArguments args)
    {
        var triggerId = args.Require("trigger_id");
        var definition = Definition(args);
        return Reply(workspace.OpenView(triggerId, triggers.Redeem(triggerId), definition));
    }

    private ApiResult Push(ApiArguments args)
    {
        var triggerId = args.Require("trigger_id");
        var definition = Definition(args);
        return Reply(workspace.PushView(triggerId, triggers.Redeem(triggerId), definition));
    }

    private ApiResult Update(ApiArguments args)
    {
        var viewId = args.Get("view_id");
        var externalId = args.Get("external_id");
        if (viewId is null && externalId is null)
        {
            throw new FakeSlackException("invalid_arguments", ["missing required field: view_id or external_id"]);
        }

        // A Home tab may be updated by its view_id too: it stays a home view, held to a home view's rules.
        var type = workspace.ShownViewType(viewId, externalId) ?? ViewValidator.Modal;
        return Reply(workspace.UpdateView(viewId, externalId, args.Get("hash"), Definition(args, type)));
    }

    private ApiResult Publish(ApiArguments args)
    {
        var userId = args.Require("user_id");
        var definition = Definition(args, ViewValidator.Home);
        return Reply(workspace.PublishHomeView(userId, args.Get("hash"), definition));
    }

    private static JsonObject Definition(ApiArguments args, string type = ViewValidator.Modal) =>
        JsonNode.Parse(ViewValidator.Validate(args.Require("view"), type).GetRawText())!.AsObject();

    private static ApiResult Reply(FakeView view) => ApiResult.Success(new JsonObject { ["view"] = JsonNode.Parse(view.ViewJson) });
}
