using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>canvases.create (§6.10): markdown document content of at most 1 MiB.</summary>
internal sealed class CanvasesApi(FakeWorkspace workspace, ChannelGuard guard)
{
    public const int MaxMarkdownBytes = 1024 * 1024;

    public void Register(ApiMethodTable methods) => methods.Write("canvases.create", Create);

    private ApiResult Create(ApiArguments args)
    {
        var channelId = args.Get("channel_id") is { } id ? guard.Visible(id).Id : null;
        var markdown = "";
        if (args.Json("document_content") is { } content)
        {
            if (content.ValueKind != JsonValueKind.Object
                || !content.TryGetProperty("type", out var type) || type.GetString() != "markdown"
                || !content.TryGetProperty("markdown", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw new FakeSlackException("invalid_arguments");
            }

            markdown = text.GetString()!;
            if (Encoding.UTF8.GetByteCount(markdown) > MaxMarkdownBytes)
            {
                throw new FakeSlackException("canvas_creation_failed");
            }
        }

        var canvas = workspace.AddCanvas(args.Get("title"), markdown, channelId);
        return ApiResult.Success(new JsonObject { ["canvas_id"] = canvas.Id });
    }
}
