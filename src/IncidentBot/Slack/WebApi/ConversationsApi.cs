namespace IncidentBot.Slack.WebApi;

public interface IConversationsApi
{
    Task<ConversationResponse> CreateAsync(CreateConversationRequest request, CancellationToken cancellationToken);

    Task<ConversationResponse> InviteAsync(InviteRequest request, CancellationToken cancellationToken);

    /// <summary>conversations.join; joining a channel the bot is already in succeeds (with Slack's warning).</summary>
    Task<ConversationResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken);

    Task<SlackResponse> SetTopicAsync(SetTopicRequest request, CancellationToken cancellationToken);

    /// <summary>conversations.archive: Slack refuses with <c>already_archived</c>, <c>cant_archive_general</c>, <c>not_in_channel</c>.</summary>
    Task<SlackResponse> ArchiveAsync(ArchiveRequest request, CancellationToken cancellationToken);

    Task<ConversationResponse> InfoAsync(ConversationInfoRequest request, CancellationToken cancellationToken);

    /// <summary>One page of conversations.list; page on with <see cref="SlackPagination"/>.</summary>
    Task<ConversationsPage> ListAsync(ConversationListRequest request, CancellationToken cancellationToken);

    /// <summary>One page of conversations.history, newest first; page on with <see cref="SlackPagination"/>.</summary>
    Task<MessagesPage> HistoryAsync(HistoryRequest request, CancellationToken cancellationToken);

    /// <summary>One page of conversations.replies: the parent first, then the replies.</summary>
    Task<MessagesPage> RepliesAsync(RepliesRequest request, CancellationToken cancellationToken);

    /// <summary>One page of conversations.members: user ids; page on with <see cref="SlackPagination"/>.</summary>
    Task<MembersPage> MembersAsync(MembersRequest request, CancellationToken cancellationToken);
}

internal sealed class ConversationsApi(SlackApiTransport transport) : IConversationsApi
{
    public Task<ConversationResponse> CreateAsync(CreateConversationRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<ConversationResponse>(SlackMethods.ConversationsCreate, request, cancellationToken);

    public Task<ConversationResponse> InviteAsync(InviteRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<ConversationResponse>(SlackMethods.ConversationsInvite, new { request.Channel, Users = string.Join(',', request.Users), request.Force }, cancellationToken);

    public Task<ConversationResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<ConversationResponse>(SlackMethods.ConversationsJoin, request, cancellationToken);

    public Task<SlackResponse> SetTopicAsync(SetTopicRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<SlackResponse>(SlackMethods.ConversationsSetTopic, request, cancellationToken);

    public Task<SlackResponse> ArchiveAsync(ArchiveRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<SlackResponse>(SlackMethods.ConversationsArchive, request, cancellationToken);

    public Task<ConversationResponse> InfoAsync(ConversationInfoRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<ConversationResponse>(SlackMethods.ConversationsInfo, request, cancellationToken);

    public Task<ConversationsPage> ListAsync(ConversationListRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<ConversationsPage>(SlackMethods.ConversationsList, request, cancellationToken);

    public Task<MessagesPage> HistoryAsync(HistoryRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<MessagesPage>(SlackMethods.ConversationsHistory, request, cancellationToken);

    public Task<MessagesPage> RepliesAsync(RepliesRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<MessagesPage>(SlackMethods.ConversationsReplies, request, cancellationToken);

    public Task<MembersPage> MembersAsync(MembersRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<MembersPage>(SlackMethods.ConversationsMembers, request, cancellationToken);
}

public sealed record MembersRequest : PagedRequest
{
    public required string Channel { get; init; }
}

public sealed record MembersPage : SlackResponse, IPage<string>
{
    public IReadOnlyList<string> Members { get; init; } = [];

    IReadOnlyList<string> IPage<string>.Items => Members;
}

public sealed record CreateConversationRequest
{
    public required string Name { get; init; }
    public bool IsPrivate { get; init; }
}

public sealed record InviteRequest
{
    public required string Channel { get; init; }
    public required IReadOnlyList<string> Users { get; init; }
    public bool? Force { get; init; }
}

public sealed record JoinRequest
{
    public required string Channel { get; init; }
}

public sealed record SetTopicRequest
{
    public required string Channel { get; init; }
    public required string Topic { get; init; }
}

public sealed record ArchiveRequest
{
    public required string Channel { get; init; }
}

public sealed record ConversationInfoRequest
{
    public required string Channel { get; init; }
    public bool? IncludeNumMembers { get; init; }
}

public record PagedRequest
{
    public string? Cursor { get; init; }
    public int? Limit { get; init; }
}

public sealed record ConversationListRequest : PagedRequest
{
    /// <summary>Comma-separated: <c>public_channel</c> (Slack's default), <c>private_channel</c>, <c>mpim</c>, <c>im</c>.</summary>
    public string? Types { get; init; }
    public bool? ExcludeArchived { get; init; }
}

public sealed record HistoryRequest : PagedRequest
{
    public required string Channel { get; init; }
    public string? Latest { get; init; }
    public string? Oldest { get; init; }
    public bool? Inclusive { get; init; }
    public bool? IncludeAllMetadata { get; init; }
}

public sealed record RepliesRequest : PagedRequest
{
    public required string Channel { get; init; }
    public required string Ts { get; init; }
    public string? Latest { get; init; }
    public string? Oldest { get; init; }
    public bool? Inclusive { get; init; }
    public bool? IncludeAllMetadata { get; init; }
}

public sealed record ConversationResponse : SlackResponse
{
    public Conversation Channel { get; init; } = new();
}

public sealed record Conversation
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public bool IsPrivate { get; init; }
    public bool IsArchived { get; init; }
    public bool IsMember { get; init; }
    public long Created { get; init; }
    public string? Creator { get; init; }
    public TopicInfo? Topic { get; init; }
    public int? NumMembers { get; init; }
}

public sealed record TopicInfo
{
    public string Value { get; init; } = "";
    public string? Creator { get; init; }
    public long LastSet { get; init; }
}

public sealed record ConversationsPage : SlackResponse, IPage<Conversation>
{
    public IReadOnlyList<Conversation> Channels { get; init; } = [];

    IReadOnlyList<Conversation> IPage<Conversation>.Items => Channels;
}

public sealed record MessagesPage : SlackResponse, IPage<HistoryMessage>
{
    public IReadOnlyList<HistoryMessage> Messages { get; init; } = [];
    public bool HasMore { get; init; }

    IReadOnlyList<HistoryMessage> IPage<HistoryMessage>.Items => Messages;
}
