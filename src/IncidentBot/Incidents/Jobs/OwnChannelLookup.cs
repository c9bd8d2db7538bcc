using IncidentBot.Storage;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// Finds the channel an earlier attempt to open an incident may have created without the bot learning its id (the
/// process stopped, or Slack's answer was lost on the way): the one of that name, created by this bot, and not
/// already another incident's. Channel names are unique in a workspace, so the name alone picks it.
/// </summary>
public sealed class OwnChannelLookup(ISlackApiClient slack, OwnPosts own, IncidentBotDbContext db)
{
    private const int PageSize = 200;

    public async Task<Conversation?> FindAsync(string name, int incidentId, CancellationToken cancellationToken)
    {
        var botUserId = await own.BotUserIdAsync(cancellationToken);
        // Incident channels are created public; archived ones are not an incident's live channel.
        var request = new ConversationListRequest { Types = "public_channel", ExcludeArchived = true, Limit = PageSize };
        var channels = SlackPagination.EnumerateAsync<Conversation>(
            async (cursor, ct) => await slack.Conversations.ListAsync(request with { Cursor = cursor }, ct),
            cancellationToken);
        await foreach (var channel in channels)
        {
            if (channel.Name == name)
            {
                var ours = channel.Creator == botUserId
                           && !await db.Incidents.AnyAsync(i => i.ChannelId == channel.Id && i.Id != incidentId, cancellationToken);
                return ours ? channel : null;
            }
        }

        return null;
    }
}
