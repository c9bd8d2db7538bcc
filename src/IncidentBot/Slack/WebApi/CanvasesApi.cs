namespace IncidentBot.Slack.WebApi;

public interface ICanvasesApi
{
    Task<CreateCanvasResponse> CreateAsync(CreateCanvasRequest request, CancellationToken cancellationToken);
}

internal sealed class CanvasesApi(SlackApiTransport transport) : ICanvasesApi
{
    public Task<CreateCanvasResponse> CreateAsync(CreateCanvasRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<CreateCanvasResponse>(
            SlackMethods.CanvasesCreate,
            new { request.Title, DocumentContent = new { Type = "markdown", request.Markdown }, request.ChannelId },
            cancellationToken);
}

public sealed record CreateCanvasRequest
{
    public required string Title { get; init; }
    public required string Markdown { get; init; }

    /// <summary>Makes the canvas a tab of this channel (required on free workspaces).</summary>
    public string? ChannelId { get; init; }
}

public sealed record CreateCanvasResponse : SlackResponse
{
    public string CanvasId { get; init; } = "";
}
