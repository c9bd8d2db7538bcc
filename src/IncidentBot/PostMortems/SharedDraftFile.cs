using IncidentBot.Slack.WebApi;

namespace IncidentBot.PostMortems;

/// <summary>
/// The draft's Markdown file, if it is already shared in the draft's thread. files.completeUploadExternal takes no
/// idempotency key, so a share whose answer was lost (or whose job stopped before recording it) is recognised by what
/// it left: a reply of this bot in that thread carrying a file of the draft's name.
/// </summary>
public sealed class SharedDraftFile(ISlackApiClient slack, OwnPosts ownPosts)
{
    public async Task<string?> FindAsync(string channelId, string threadTs, string fileName, CancellationToken cancellationToken)
    {
        var thread = slack.Conversations.AllRepliesAsync(new RepliesRequest { Channel = channelId, Ts = threadTs }, cancellationToken);
        await foreach (var message in thread)
        {
            if (message.Files?.FirstOrDefault(f => f.Name == fileName) is { } file && await ownPosts.IsOwnAsync(message, cancellationToken))
            {
                return file.Id;
            }
        }

        return null;
    }
}
