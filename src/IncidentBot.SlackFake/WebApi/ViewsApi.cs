using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>views.open (§4.4): a fresh, unused trigger_id and a modal within Slack's limits.</summary>
internal sealed class ViewsApi(FakeSlackOptions options, FakeWorkspace workspace, TriggerIdRegistry triggers)
{
    public const int MaxViewBytes = 250 * 1024;

    public void Register(ApiMethodTable methods) => methods.Write("views.open", Open);

    private ApiResult Open(ApiArguments args)
    {
        var triggerId = args.Require("trigger_id");
        var viewText = args.Require("view");
        if (Encoding.UTF8.GetByteCount(viewText) > MaxViewBytes)
        {
            throw new FakeSlackException("view_too_large");
        }

        var view = args.Json("view") ?? throw new FakeSlackException("invalid_arguments");
        Validate(view);
        var userId = triggers.Redeem(triggerId);
        var stored = workspace.AddView(triggerId, userId, viewText);

        var json = JsonNode.Parse(viewText)!.AsObject();
        json["id"] = stored.Id;
        json["team_id"] = options.TeamId;
        json["state"] = new JsonObject { ["values"] = new JsonObject() };
        json["hash"] = $"{stored.Opened}.{stored.Hash}";
        json["previous_view_id"] = null;
        json["root_view_id"] = stored.Id;
        json["app_id"] = options.AppId;
        json["app_installed_team_id"] = options.TeamId;
        json["bot_id"] = options.BotId;
        json["private_metadata"] ??= "";
        json["callback_id"] ??= "";
        json["clear_on_close"] ??= false;
        json["notify_on_close"] ??= false;
        return ApiResult.Success(new JsonObject { ["view"] = json });
    }

    /// <summary>Slack reports view problems as <c>invalid_arguments</c> with json-pointer messages.</summary>
    private static void Validate(JsonElement view)
    {
        if (view.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("invalid_arguments");
        }

        var errors = new List<string>();
        if (!view.TryGetProperty("type", out var type) || type.GetString() != "modal")
        {
            errors.Add("must be a valid enum value [json-pointer:/view/type]");
        }

        foreach (var property in new[] { "title", "submit", "close" })
        {
            if (view.TryGetProperty(property, out var text) && text.ValueKind == JsonValueKind.Object
                && text.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 24)
            {
                errors.Add($"must be less than 25 characters [json-pointer:/view/{property}/text]");
            }
        }

        if (!view.TryGetProperty("title", out _))
        {
            errors.Add("missing required field: title [json-pointer:/view]");
        }

        if (view.TryGetProperty("private_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.String && metadata.GetString()!.Length > 3000)
        {
            errors.Add("must be less than 3001 characters [json-pointer:/view/private_metadata]");
        }

        if (view.TryGetProperty("blocks", out var blocks))
        {
            try
            {
                errors.AddRange(BlockKitValidator.Validate(blocks, BlockKitValidator.MaxViewBlocks, "/view/blocks"));
            }
            catch (FakeSlackException)
            {
                errors.Add("must be an array of blocks [json-pointer:/view/blocks]");
            }
        }
        else
        {
            errors.Add("missing required field: blocks [json-pointer:/view]");
        }

        if (errors.Count > 0)
        {
            throw new FakeSlackException("invalid_arguments", errors);
        }
    }
}
