namespace IncidentBot.Slack.WebApi;

/// <summary>The envelope every Web API reply shares (slack-protocol.md §7.3).</summary>
public record SlackResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Warning { get; init; }
    public ResponseMetadata? ResponseMetadata { get; init; }
}

public sealed record ResponseMetadata
{
    public string? NextCursor { get; init; }
    public IReadOnlyList<string>? Messages { get; init; }
    public IReadOnlyList<string>? Warnings { get; init; }
}
