using IncidentBot.Slack.Handling;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.PostMortems;

/// <summary>
/// The draft's Markdown file, if it is already shared in the draft's thread. files.completeUploadExternal takes no
/// idempotency key, so a share whose answer was lost (or whose job stopped before recording it) is recognised by what
/// it left: a reply of this bot in that thread carrying a file of the draft's name.
/// </summary>
public sealed class SharedDraftFile(ISlackApiClient slack, SlackBotIdentity identity)
{
    public async Task<string?> FindAsync(string channelId, string threadTs, string fileName, CancellationToken cancellationToken)
    {
        var botUserId = identity.UserId ?? (await slack.Auth.TestAsync(cancellationToken)).UserId;
        var thread = slack.Conversations.AllRepliesAsync(new RepliesRequest { Channel = channelId, Ts = threadTs }, cancellationToken);
        await foreach (var message in thread)
        {
            var ours = message.User == botUserId || (message.BotId is not null && message.BotId == identity.BotId);
            if (ours && message.Files?.FirstOrDefault(f => f.Name == fileName) is { } file)
            {
                return file.Id;
            }
        }

        return null;
    }
}
