using System.Text;
using System.Text.Json;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// <c>POST /response/{id}</c>, the response_url the driver hands to the bot. An
/// <c>in_channel</c> reply becomes a real channel message; ephemeral ones are only recorded.
/// </summary>
internal sealed class ResponseUrlEndpoint(FakeSlackOptions options, FakeWorkspace workspace, ResponseUrlRegistry registry, BotEventEcho echo)
{
    public async Task HandleAsync(HttpContext http, string id)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var json = SlackJson.TryParse(body);
        if (json is not { ValueKind: JsonValueKind.Object } payload)
        {
            await RespondAsync(http, Record(id, body, 400, "invalid_payload", null));
            return;
        }

        var deleteOriginal = Bool(payload, "delete_original");
        if (!deleteOriginal && !payload.TryGetProperty("text", out _) && !payload.TryGetProperty("blocks", out _))
        {
            await RespondAsync(http, Record(id, body, 400, "no_text", payload));
            return;
        }

        var (error, channelId) = registry.Use(id);
        if (error is not null)
        {
            await RespondAsync(http, Record(id, body, 404, error, payload));
            return;
        }

        var post = Record(id, body, 200, null, payload);
        if (post is { ResponseType: "in_channel", ReplaceOriginal: false, DeleteOriginal: false } && channelId is not null
            && workspace.FindChannel(channelId) is not null)
        {
            var message = workspace.Append(channelId, ts => new FakeMessage
            {
                ChannelId = channelId,
                Ts = ts,
                User = options.BotUserId,
                Text = post.Text ?? "",
                Blocks = post.Blocks,
                ThreadTs = post.ThreadTs,
                BotId = options.BotId,
                AppId = options.AppId,
                Team = options.TeamId,
            });
            echo.MessagePosted(message);
        }

        await RespondAsync(http, post);
    }

    private ResponseUrlPost Record(string id, string body, int status, string? error, JsonElement? payload)
    {
        var post = new ResponseUrlPost(
            id,
            body,
            status,
            error,
            String(payload, "text"),
            payload is { } p && p.TryGetProperty("blocks", out var blocks) ? blocks.Clone() : null,
            String(payload, "response_type"),
            payload is { } replace && Bool(replace, "replace_original"),
            payload is { } delete && Bool(delete, "delete_original"),
            String(payload, "thread_ts"),
            options.Clock.GetUtcNow());
        registry.Record(post);
        return post;
    }

    private static async Task RespondAsync(HttpContext http, ResponseUrlPost post)
    {
        http.Response.StatusCode = post.StatusCode;
        if (post.Error is null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync("{\"ok\":true}", http.RequestAborted);
        }
        else
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(post.Error, http.RequestAborted);
        }
    }

    private static string? String(JsonElement? payload, string name) =>
        payload is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.True
            || (value.ValueKind == JsonValueKind.String && value.GetString() == "true"));
}
