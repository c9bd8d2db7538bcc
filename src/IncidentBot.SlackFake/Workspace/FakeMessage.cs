using System.Collections.Immutable;
using System.Text.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// A snapshot of a stored message. Identity is (<see cref="ChannelId"/>, <see cref="Ts"/>);
/// a change to the message stores a new snapshot rather than mutating this one.
/// </summary>
public sealed record FakeMessage
{
    public required string ChannelId { get; init; }

    public required string Ts { get; init; }

    public string? User { get; init; }

    public string Text { get; init; } = "";

    /// <summary>Null for ordinary messages, including the bot's own posts (Slack sends no subtype for app posts).</summary>
    public string? Subtype { get; init; }

    /// <summary>Set on replies (the parent's ts) and on a parent once it has replies (its own ts).</summary>
    public string? ThreadTs { get; init; }

    public string? ParentUserId { get; init; }

    public string? BotId { get; init; }

    public string? AppId { get; init; }

    public string? ClientMsgId { get; init; }

    public string? Team { get; init; }

    public JsonElement? Blocks { get; init; }

    public FakeMessageMetadata? Metadata { get; init; }

    public ImmutableList<FakeReaction> Reactions { get; init; } = [];

    public bool IsPinned { get; init; }

    public FakeEdit? Edited { get; init; }

    public ImmutableList<FakeFile> Files { get; init; } = [];

    public int ReplyCount { get; init; }

    public ImmutableList<string> ReplyUsers { get; init; } = [];

    public string? LatestReply { get; init; }

    /// <summary>Subtype-specific string fields Slack adds (e.g. <c>inviter</c> on channel_join, <c>topic</c> on channel_topic).</summary>
    public ImmutableDictionary<string, string> ExtraFields { get; init; } = ImmutableDictionary<string, string>.Empty;

    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;

    /// <summary>What conversations.history returns: everything but plain thread replies.</summary>
    public bool IsInChannelHistory => !IsReply || Subtype == "thread_broadcast";

    public bool IsFromBot => BotId is not null;

    public SlackTs SortKey => SlackTs.Parse(Ts);
}

/// <summary>Slack message metadata; the bot uses it as an idempotency key.</summary>
public sealed record FakeMessageMetadata(string EventType, JsonElement EventPayload);

public sealed record FakeReaction(string Name, ImmutableList<string> Users);

public sealed record FakeEdit(string User, string Ts);

/// <summary>An ephemeral message: shown to one user, never stored in history.</summary>
public sealed record FakeEphemeralMessage(string ChannelId, string UserId, string MessageTs, string Text, JsonElement? Blocks, string? ThreadTs);
