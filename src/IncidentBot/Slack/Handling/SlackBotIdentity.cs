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

    internal void Set(string userId, string? botId, string? teamId) => _identity = new Identity(userId, botId, teamId);

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

    private sealed record Identity(string UserId, string? BotId, string? TeamId);
}
