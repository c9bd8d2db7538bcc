namespace IncidentBot.SlackFake.Workspace;

/// <summary>A workspace member as users.info describes it.</summary>
public sealed record FakeUser
{
    public required string Id { get; init; }

    public required string TeamId { get; init; }

    /// <summary>The legacy handle; Slack still returns it as <c>name</c>.</summary>
    public required string Name { get; init; }

    public required string RealName { get; init; }

    /// <summary>Often empty in real workspaces, which is why a bot must fall back to <see cref="RealName"/>.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>IANA zone id, e.g. "Europe/Paris".</summary>
    public string Tz { get; init; } = "UTC";

    public bool IsBot { get; init; }

    public bool Deleted { get; init; }
}
