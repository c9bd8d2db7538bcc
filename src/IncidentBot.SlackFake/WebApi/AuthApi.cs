using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>auth.test: how the bot learns its own user_id and bot_id (§6.10).</summary>
internal sealed class AuthApi(FakeSlackOptions options)
{
    public void Register(ApiMethodTable methods) => methods.Write("auth.test", Test);

    private ApiResult Test(ApiArguments args) => ApiResult.Success(new JsonObject
    {
        ["url"] = $"https://{options.TeamDomain}.slack.com/",
        ["team"] = options.TeamName,
        ["user"] = options.BotName,
        ["team_id"] = options.TeamId,
        ["user_id"] = options.BotUserId,
        ["bot_id"] = options.BotId,
        ["app_id"] = options.AppId,
        ["is_enterprise_install"] = false,
    });
}
