using System.Collections.Immutable;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// A snapshot of a public or private channel. Snapshots are immutable so a test can read one
/// while the bot keeps changing the workspace from other threads.
/// </summary>
public sealed record FakeChannel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public bool IsPrivate { get; init; }

    public bool IsArchived { get; init; }

    /// <summary>The workspace's #general: Slack never lets it be archived.</summary>
    public bool IsGeneral { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }

    public string Creator { get; init; } = "";

    /// <summary>Member ids in join order.</summary>
    public ImmutableList<string> Members { get; init; } = [];

    public FakeChannelText Topic { get; init; } = FakeChannelText.Empty;

    public FakeChannelText Purpose { get; init; } = FakeChannelText.Empty;

    public bool HasMember(string userId) => Members.Contains(userId);
}

/// <summary>A channel topic or purpose: Slack keeps who set it and when.</summary>
public sealed record FakeChannelText(string Value, string Creator, long LastSet)
{
    public static readonly FakeChannelText Empty = new("", "", 0);
}
