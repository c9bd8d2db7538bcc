namespace IncidentBot.Slack.Payloads;

// The inner events of the Events API (slack-protocol.md §3.4). Every field Slack may omit is nullable:
// a missing optional field must never turn a delivery into an error.

/// <summary>Any inner event. Handlers subscribe to a concrete type or to a base type (MessageEventBase gets every message).</summary>
public abstract record SlackEvent
{
    public string Type { get; init; } = "";
    public string? EventTs { get; init; }
}

/// <summary>An event or message subtype we do not handle: acknowledged and ignored, never an error.</summary>
public sealed record UnknownEvent : SlackEvent
{
    public string? Subtype { get; init; }
}

/// <summary>Everything Slack sends as <c>type: message</c>, whatever the subtype.</summary>
public abstract record MessageEventBase : SlackEvent
{
    public string Channel { get; init; } = "";
    public string Ts { get; init; } = "";
    public string? Subtype { get; init; }
    public string? ChannelType { get; init; }
    public bool Hidden { get; init; }
    public string? Team { get; init; }
}

/// <summary>A message someone (or some app) posted; subtypes that are still "a message in the channel" derive from it.</summary>
public record MessageEvent : MessageEventBase
{
    public string? User { get; init; }
    public string? Text { get; init; }
    public string? ThreadTs { get; init; }
    public string? ParentUserId { get; init; }
    public string? BotId { get; init; }
    public string? AppId { get; init; }
    public string? ClientMsgId { get; init; }
    public EditInfo? Edited { get; init; }
    public IReadOnlyList<SlackFile>? Files { get; init; }
    public MessageMetadata? Metadata { get; init; }

    /// <summary>A reply inside a thread (a parent carries thread_ts equal to its own ts).</summary>
    public bool IsThreadReply => ThreadTs is not null && ThreadTs != Ts;
}

public sealed record EditInfo
{
    public string? User { get; init; }
    public string? Ts { get; init; }
}

public sealed record SlackFile
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Title { get; init; }
    public string? Mimetype { get; init; }
    public string? Permalink { get; init; }
}

/// <summary>Slack message metadata: how our own posts carry an idempotency key.</summary>
public sealed record MessageMetadata
{
    public string EventType { get; init; } = "";
    public Dictionary<string, System.Text.Json.JsonElement>? EventPayload { get; init; }
}

/// <summary>Legacy integrations (not apps: app posts have no subtype, see <see cref="MessageEvent.BotId"/>).</summary>
public sealed record BotMessage : MessageEvent
{
    public string? Username { get; init; }
}

/// <summary>A thread reply also sent to the channel.</summary>
public sealed record ThreadBroadcast : MessageEvent
{
    public MessageEvent? Root { get; init; }
}

public sealed record ChannelJoin : MessageEvent
{
    public string? Inviter { get; init; }
}

public sealed record FileShareMessage : MessageEvent
{
    public bool Upload { get; init; }
    public bool DisplayAsBot { get; init; }
}

/// <summary>An edit: <see cref="Message"/> is the new version and keeps the original ts.</summary>
public sealed record MessageChanged : MessageEventBase
{
    public MessageEvent? Message { get; init; }
    public MessageEvent? PreviousMessage { get; init; }
}

public sealed record MessageDeleted : MessageEventBase
{
    public string DeletedTs { get; init; } = "";
    public MessageEvent? PreviousMessage { get; init; }
}

public abstract record ReactionEvent : SlackEvent
{
    public string User { get; init; } = "";
    public string Reaction { get; init; } = "";
    public string? ItemUser { get; init; }
    public ReactionItem Item { get; init; } = new();
}

public sealed record ReactionItem
{
    public string Type { get; init; } = "";
    public string? Channel { get; init; }
    public string? Ts { get; init; }
    public string? File { get; init; }
}

public sealed record ReactionAdded : ReactionEvent;

public sealed record ReactionRemoved : ReactionEvent;

public sealed record AppMention : SlackEvent
{
    public string? User { get; init; }
    public string? Text { get; init; }
    public string Ts { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? ThreadTs { get; init; }
}

/// <summary>Someone opened the app's Home tab (or its Messages tab: see <see cref="Tab"/>).</summary>
public sealed record AppHomeOpened : SlackEvent
{
    public string User { get; init; } = "";
    public string? Channel { get; init; }
    public string Tab { get; init; } = "";
}

public sealed record MemberJoinedChannel : SlackEvent
{
    public string User { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? ChannelType { get; init; }
    public string? Team { get; init; }
    public string? Inviter { get; init; }
}
