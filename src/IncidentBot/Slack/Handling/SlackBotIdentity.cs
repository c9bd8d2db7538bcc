using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

/// <summary>Who this bot is in the workspace, learnt from auth.test at start, so its own posts are recognised.</summary>
public sealed class SlackBotIdentity
{
    private volatile Identity? _identity;

    public bool IsKnown => _identity is not null;
    public string? UserId => _identity?.UserId;
    public string? BotId => _identity?.BotId;
    public string? TeamId => _identity?.TeamId;
    public string? AppId => _identity?.AppId;

    internal void Set(string userId, string? botId, string? teamId, string? appId = null) => _identity = new Identity(userId, botId, teamId, appId);

    /// <summary>
    /// Whether a request names another workspace or another app than this installation's (a request signed with our
    /// secret but meant for elsewhere, or a copy replayed from another install). Unknown on either side counts as ours:
    /// before auth.test has answered there is nothing to compare with.
    /// </summary>
    public bool IsForeign(string? teamId, string? apiAppId) =>
        (teamId is { Length: > 0 } && TeamId is { Length: > 0 } ours && teamId != ours)
        || (apiAppId is { Length: > 0 } && AppId is { Length: > 0 } app && apiAppId != app);

    /// <summary>
    /// Whether the event is this bot's own doing. App posts carry our <c>app_id</c> (known from the envelope
    /// even before auth.test answered), our bot_id and our bot user id.
    /// </summary>
    public bool IsOwn(SlackEvent slackEvent, string? apiAppId) => slackEvent switch
    {
        MessageEvent message => IsOwnMessage(message, apiAppId),
        MessageChanged changed => changed.Message is not null && IsOwnMessage(changed.Message, apiAppId),
        MessageDeleted deleted => deleted.PreviousMessage is not null && IsOwnMessage(deleted.PreviousMessage, apiAppId),
        ReactionEvent reaction => IsOwnUser(reaction.User),
        AppMention mention => IsOwnUser(mention.User),
        MemberJoinedChannel joined => IsOwnUser(joined.User),
        _ => false,
    };

    private bool IsOwnMessage(MessageEvent message, string? apiAppId) =>
        (apiAppId is not null && message.AppId == apiAppId)
        || (message.BotId is not null && message.BotId == BotId)
        || IsOwnUser(message.User);

    private bool IsOwnUser(string? userId) => userId is not null && userId == UserId;

    private sealed record Identity(string UserId, string? BotId, string? TeamId, string? AppId);
}
