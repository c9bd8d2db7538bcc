using System.Collections.Immutable;
using System.Text;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>A file going through Slack's two-step upload: reserved, uploaded, then completed (shared).</summary>
public sealed record FakeFile
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The length promised to files.getUploadURLExternal.</summary>
    public long DeclaredLength { get; init; }

    public string? Title { get; init; }

    public string? AltText { get; init; }

    public string User { get; init; } = "";

    public long Created { get; init; }

    /// <summary>Null until the bytes were POSTed to the upload URL.</summary>
    public ImmutableArray<byte>? Content { get; init; }

    public bool IsCompleted { get; init; }

    public ImmutableList<string> SharedIn { get; init; } = [];

    public bool IsUploaded => Content is not null;

    public string ContentAsString => Content is { } bytes ? Encoding.UTF8.GetString(bytes.AsSpan()) : "";
}

/// <summary>A canvas created with canvases.create.</summary>
public sealed record FakeCanvas(string Id, string? Title, string Markdown, string? ChannelId, long Created);
