namespace IncidentBot.Slack.WebApi;

public interface IFilesApi
{
    Task<UploadUrlResponse> GetUploadUrlExternalAsync(GetUploadUrlRequest request, CancellationToken cancellationToken);

    Task<CompleteUploadResponse> CompleteUploadExternalAsync(CompleteUploadRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Slack's two-step upload (files.upload is retired): ask for a URL, send the bytes there, then share the file.
    /// </summary>
    Task<CompleteUploadResponse> UploadAsync(FileUploadRequest request, CancellationToken cancellationToken);
}

internal sealed class FilesApi(SlackApiTransport transport) : IFilesApi
{
    public Task<UploadUrlResponse> GetUploadUrlExternalAsync(GetUploadUrlRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<UploadUrlResponse>(SlackMethods.FilesGetUploadUrlExternal, request, cancellationToken);

    public Task<CompleteUploadResponse> CompleteUploadExternalAsync(CompleteUploadRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<CompleteUploadResponse>(
            SlackMethods.FilesCompleteUploadExternal,
            new { Files = request.Files, request.ChannelId, request.InitialComment, request.ThreadTs },
            cancellationToken);

    public async Task<CompleteUploadResponse> UploadAsync(FileUploadRequest request, CancellationToken cancellationToken)
    {
        var url = await GetUploadUrlExternalAsync(new GetUploadUrlRequest { Filename = request.Filename, Length = request.Content.Length }, cancellationToken);
        await transport.UploadAsync(new Uri(url.UploadUrl), request.Content, cancellationToken);
        return await CompleteUploadExternalAsync(
            new CompleteUploadRequest
            {
                Files = [new UploadedFile(url.FileId, request.Title ?? request.Filename)],
                ChannelId = request.ChannelId,
                InitialComment = request.InitialComment,
                ThreadTs = request.ThreadTs,
            },
            cancellationToken);
    }
}

public sealed record GetUploadUrlRequest
{
    public required string Filename { get; init; }
    public required int Length { get; init; }
}

public sealed record UploadUrlResponse : SlackResponse
{
    public string UploadUrl { get; init; } = "";
    public string FileId { get; init; } = "";
}

public sealed record UploadedFile(string Id, string Title);

public sealed record CompleteUploadRequest
{
    public required IReadOnlyList<UploadedFile> Files { get; init; }
    public string? ChannelId { get; init; }
    public string? InitialComment { get; init; }
    public string? ThreadTs { get; init; }
}

public sealed record CompleteUploadResponse : SlackResponse
{
    public IReadOnlyList<Payloads.SlackFile> Files { get; init; } = [];
}

public sealed record FileUploadRequest
{
    public required string Filename { get; init; }
    public required ReadOnlyMemory<byte> Content { get; init; }
    public string? Title { get; init; }
    public string? ChannelId { get; init; }
    public string? InitialComment { get; init; }
    public string? ThreadTs { get; init; }
}
