using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// The two-step upload (§6.9): files.getUploadURLExternal (form only), a POST of the bytes to
/// the upload URL (<see cref="FileUploadEndpoint"/>), then files.completeUploadExternal, which
/// shares the file as a file_share message.
/// </summary>
internal sealed class FilesApi(FakeSlackOptions options, FakeWorkspace workspace, ChannelGuard guard, SlackWire wire, BotEventEcho echo, Func<Uri> baseUrl)
{
    public void Register(ApiMethodTable methods)
    {
        methods.FormOnly("files.getUploadURLExternal", GetUploadUrl);
        methods.Write("files.completeUploadExternal", CompleteUpload);
    }

    private ApiResult GetUploadUrl(ApiArguments args)
    {
        var filename = args.Require("filename");
        var length = args.Int("length") ?? throw new FakeSlackException("invalid_arguments");
        if (length <= 0)
        {
            throw new FakeSlackException("invalid_arguments");
        }

        var file = workspace.ReserveFile(options.BotUserId, filename, length, args.Get("alt_txt"));
        return ApiResult.Success(new JsonObject
        {
            ["upload_url"] = new Uri(baseUrl(), $"upload/{file.Id}").ToString(),
            ["file_id"] = file.Id,
        });
    }

    private ApiResult CompleteUpload(ApiArguments args)
    {
        var requested = ReadFiles(args.Json("files") ?? throw new FakeSlackException("invalid_arguments"));
        var channelIds = (args.Get("channel_id") ?? args.Get("channels") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var channels = channelIds.Select(guard.Writable).ToList();
        if (requested.Any(f => workspace.FindFile(f.Id) is not { IsUploaded: true }))
        {
            throw new FakeSlackException("file_not_found");
        }

        var files = requested.Select(f => workspace.CompleteFile(f.Id, f.Title, [.. channels.Select(c => c.Id)])).ToList();
        foreach (var channel in channels)
        {
            var message = workspace.Append(channel.Id, ts => new FakeMessage
            {
                ChannelId = channel.Id,
                Ts = ts,
                User = options.BotUserId,
                Subtype = "file_share",
                Text = args.Get("initial_comment") ?? "",
                ThreadTs = args.Get("thread_ts"),
                BotId = options.BotId,
                AppId = options.AppId,
                Team = options.TeamId,
                Files = [.. files],
            });
            echo.MessagePosted(message);
        }

        return ApiResult.Success(new JsonObject
        {
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)wire.File(f))]),
        });
    }

    private static List<(string Id, string? Title)> ReadFiles(JsonElement files)
    {
        if (files.ValueKind != JsonValueKind.Array || files.GetArrayLength() == 0)
        {
            throw new FakeSlackException("invalid_arguments");
        }

        return [.. files.EnumerateArray().Select(f =>
            f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? (id.GetString()!, f.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null)
                : throw new FakeSlackException("invalid_arguments"))];
    }
}
