using System.Text.Json;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.WebApi;

public interface IChatApi
{
    /// <summary>
    /// chat.postMessage. With an <see cref="PostMessageRequest.IdempotencyKey"/>, a post whose outcome is unknown
    /// (Slack failed or the answer was lost) is looked for in the channel before it is sent again: exactly once.
    /// With <see cref="PostMessageRequest.MayHaveLanded"/> it is looked for before the first send too.
    /// </summary>
    Task<PostMessageResponse> PostMessageAsync(PostMessageRequest request, CancellationToken cancellationToken);

    Task<PostEphemeralResponse> PostEphemeralAsync(PostEphemeralRequest request, CancellationToken cancellationToken);

    Task<UpdateMessageResponse> UpdateAsync(UpdateMessageRequest request, CancellationToken cancellationToken);

    Task<GetPermalinkResponse> GetPermalinkAsync(GetPermalinkRequest request, CancellationToken cancellationToken);
}

internal sealed partial class ChatApi(SlackApiTransport transport, IConversationsApi conversations, OwnPosts ownPosts, ILogger<ChatApi> logger) : IChatApi
{
    /// <summary>The metadata event type that marks our posts, so a lost answer can be reconciled with the channel.</summary>
    public const string IdempotencyEventType = "incidentbot_post";
    private const string KeyField = "idempotency_key";
    private const int MaxAttempts = 3;
    private const int UnboundedScanLimit = 1000;

    public async Task<PostMessageResponse> PostMessageAsync(PostMessageRequest request, CancellationToken cancellationToken)
    {
        if (request.IdempotencyKey is null)
        {
            return await transport.CallAsync<PostMessageResponse>(SlackMethods.ChatPostMessage, request, cancellationToken);
        }

        var tagged = request with
        {
            Metadata = new PostMetadata(IdempotencyEventType, new Dictionary<string, string> { [KeyField] = request.IdempotencyKey }),
        };
        if (request.MayHaveLanded && await FindPostAsync(tagged, cancellationToken) is { } earlier)
        {
            Log.Reconciled(logger, request.Channel, earlier.Ts);
            return new PostMessageResponse { Ok = true, Channel = request.Channel, Ts = earlier.Ts };
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transport.CallAsync<PostMessageResponse>(SlackMethods.ChatPostMessage, tagged, cancellationToken);
            }
            catch (SlackUnavailableException exception) when (exception.OutcomeUnknown && attempt < MaxAttempts)
            {
                var landed = await FindPostAsync(tagged, cancellationToken);
                if (landed is not null)
                {
                    Log.Reconciled(logger, request.Channel, landed.Ts);
                    return new PostMessageResponse { Ok = true, Channel = request.Channel, Ts = landed.Ts };
                }

                Log.Resending(logger, request.Channel, attempt);
            }
        }
    }

    public Task<PostEphemeralResponse> PostEphemeralAsync(PostEphemeralRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<PostEphemeralResponse>(SlackMethods.ChatPostEphemeral, request, cancellationToken);

    public Task<UpdateMessageResponse> UpdateAsync(UpdateMessageRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<UpdateMessageResponse>(SlackMethods.ChatUpdate, request, cancellationToken);

    public Task<GetPermalinkResponse> GetPermalinkAsync(GetPermalinkRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<GetPermalinkResponse>(SlackMethods.ChatGetPermalink, request, cancellationToken);

    /// <summary>
    /// Our post with this key, if it landed: among this bot's own messages only (another app, or a person, could copy the
    /// tag), paging back through the channel (or thread) as far as <see cref="PostMessageRequest.NotBefore"/>.
    /// </summary>
    private async Task<HistoryMessage?> FindPostAsync(PostMessageRequest request, CancellationToken cancellationToken)
    {
        var key = request.IdempotencyKey!;
        // A minute of leeway for the clocks of Slack and this host.
        var oldest = request.NotBefore is { } since ? SlackTs.FromDateTimeOffset(since - TimeSpan.FromMinutes(1)).ToString() : null;
        var messages = request.ThreadTs is null
            ? conversations.AllHistoryAsync(new HistoryRequest { Channel = request.Channel, Oldest = oldest, IncludeAllMetadata = true }, cancellationToken)
            : conversations.AllRepliesAsync(new RepliesRequest { Channel = request.Channel, Ts = request.ThreadTs, Oldest = oldest, IncludeAllMetadata = true }, cancellationToken);
        var scanned = 0;
        await foreach (var message in messages)
        {
            if (message.Metadata?.EventType == IdempotencyEventType
                && message.Metadata.EventPayload?.TryGetValue(KeyField, out var value) == true
                && value.ValueKind == JsonValueKind.String
                && value.GetString() == key
                && await ownPosts.IsOwnAsync(message, cancellationToken))
            {
                return message;
            }

            // Without a bound, a busy channel's whole history is not worth reading: the post would be among the latest.
            if (oldest is null && ++scanned >= UnboundedScanLimit)
            {
                break;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "A post to {Channel} whose outcome was unknown had landed as {Ts}; not sent again")]
        public static partial void Reconciled(ILogger logger, string channel, string ts);

        [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "A post to {Channel} did not land (attempt {Attempt}); sending it again")]
        public static partial void Resending(ILogger logger, string channel, int attempt);
    }
}

public sealed record PostMessageRequest
{
    public required string Channel { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public string? ThreadTs { get; init; }
    public bool? Mrkdwn { get; init; }
    public bool? UnfurlLinks { get; init; }
    public bool? UnfurlMedia { get; init; }
    public PostMetadata? Metadata { get; init; }

    /// <summary>Unique per logical post (e.g. "incident-42/draft/3"); never sent as such, it becomes message metadata.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// An earlier run may have sent this post without living to record it (a process killed between Slack's answer
    /// and our commit): look for the <see cref="IdempotencyKey"/> in the channel before sending. Never sent as such.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MayHaveLanded { get; init; }

    /// <summary>When the first attempt of this post began: the look for a lost post pages back as far as that. Never sent.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? NotBefore { get; init; }
}

public sealed record PostMetadata(string EventType, IReadOnlyDictionary<string, string> EventPayload);

public sealed record PostMessageResponse : SlackResponse
{
    public string Channel { get; init; } = "";
    public string Ts { get; init; } = "";
}

public sealed record PostEphemeralRequest
{
    public required string Channel { get; init; }
    public required string User { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public string? ThreadTs { get; init; }
}

public sealed record PostEphemeralResponse : SlackResponse
{
    public string? MessageTs { get; init; }
}

public sealed record UpdateMessageRequest
{
    public required string Channel { get; init; }
    public required string Ts { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
}

public sealed record UpdateMessageResponse : SlackResponse
{
    public string Channel { get; init; } = "";
    public string Ts { get; init; } = "";
}

public sealed record GetPermalinkRequest
{
    public required string Channel { get; init; }
    public required string MessageTs { get; init; }
}

public sealed record GetPermalinkResponse : SlackResponse
{
    public string Permalink { get; init; } = "";
}

/// <summary>A message as conversations.history and .replies return it.</summary>
public sealed record HistoryMessage
{
    public string? Type { get; init; }
    public string? Subtype { get; init; }
    public string Ts { get; init; } = "";
    public string? User { get; init; }
    public string? Text { get; init; }
    public string? ThreadTs { get; init; }
    public string? BotId { get; init; }
    public string? AppId { get; init; }
    public int? ReplyCount { get; init; }
    public EditInfo? Edited { get; init; }
    public MessageMetadata? Metadata { get; init; }

    /// <summary>The files a <c>file_share</c> message shared.</summary>
    public IReadOnlyList<Payloads.SlackFile>? Files { get; init; }

    /// <summary>The emoji on the message, each with who added it (Slack may list fewer users than <see cref="MessageReaction.Count"/>).</summary>
    public IReadOnlyList<MessageReaction>? Reactions { get; init; }
}

/// <summary>One emoji on a message, as conversations.history and .replies return it.</summary>
public sealed record MessageReaction
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Users { get; init; } = [];
    public int Count { get; init; }
}
