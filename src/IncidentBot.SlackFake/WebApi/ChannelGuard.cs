using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// What the bot may see and do in a channel. Private channels the bot is not in do not exist
/// for it (<c>channel_not_found</c>), exactly as in Slack.
/// </summary>
internal sealed class ChannelGuard(FakeWorkspace workspace, FakeSlackOptions options)
{
    public FakeChannel Visible(string? channelId)
    {
        var channel = channelId is null ? null : workspace.FindChannel(channelId);
        if (channel is null || (channel.IsPrivate && !channel.HasMember(options.BotUserId)))
        {
            throw new FakeSlackException("channel_not_found");
        }

        return channel;
    }

    public FakeChannel Member(string? channelId)
    {
        var channel = Visible(channelId);
        return channel.HasMember(options.BotUserId) ? channel : throw new FakeSlackException("not_in_channel");
    }

    /// <summary>Member of a channel that is not archived: what posting and inviting need.</summary>
    public FakeChannel Writable(string? channelId)
    {
        var channel = Visible(channelId);
        if (channel.IsArchived)
        {
            throw new FakeSlackException("is_archived");
        }

        return Member(channel.Id);
    }

    /// <summary>chat.postMessage also takes a channel name, with or without '#'.</summary>
    public string? ResolveIdOrName(string? channel) =>
        channel is null || workspace.FindChannel(channel) is not null
            ? channel
            : workspace.FindChannelByName(channel)?.Id ?? channel;
}
