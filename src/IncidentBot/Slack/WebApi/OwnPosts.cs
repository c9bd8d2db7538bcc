using IncidentBot.Slack.Handling;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Tells this bot's own messages (and channels) from everyone else's, by its bot id or bot user id (learnt from
/// auth.test if the start-up check has not answered yet). Anything the bot adopts as its own earlier write must pass
/// this test: a person or another app can copy a message's metadata, not its author.
/// </summary>
public sealed class OwnPosts(SlackBotIdentity identity, IAuthApi auth)
{
    public async Task<bool> IsOwnAsync(HistoryMessage message, CancellationToken cancellationToken)
    {
        await KnowMeAsync(cancellationToken);
        return (message.BotId is not null && message.BotId == identity.BotId)
               || (message.User is not null && message.User == identity.UserId);
    }

    /// <summary>The bot's user id: a channel it created names it as its creator.</summary>
    public async Task<string> BotUserIdAsync(CancellationToken cancellationToken)
    {
        await KnowMeAsync(cancellationToken);
        return identity.UserId!;
    }

    private async Task KnowMeAsync(CancellationToken cancellationToken)
    {
        if (!identity.IsKnown)
        {
            var me = await auth.TestAsync(cancellationToken);
            identity.Set(me.UserId, me.BotId, me.TeamId);
        }
    }
}
