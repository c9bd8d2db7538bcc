using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents;

/// <summary>
/// Which incidents a person may see: every public one, and a private one only when they are a member of its channel
/// (asked of Slack, <c>conversations.members</c>). When Slack cannot tell, a private incident stays hidden.
/// </summary>
public sealed partial class IncidentVisibility(IncidentBotDbContext db, ISlackApiClient slack, ILogger<IncidentVisibility> logger)
{
    /// <summary>The live incidents (opening included) <paramref name="userId"/> may see, oldest first.</summary>
    public async Task<List<Incident>> LiveFor(string userId, CancellationToken cancellationToken)
    {
        var live = await db.Incidents.AsNoTracking()
            .Where(i => i.Status == IncidentStatus.Live || i.Status == IncidentStatus.Opening)
            .OrderBy(i => i.DeclaredAt)
            .ToListAsync(cancellationToken);
        var visible = new List<Incident>();
        foreach (var incident in live)
        {
            if (await MaySeeAsync(incident, userId, cancellationToken))
            {
                visible.Add(incident);
            }
        }

        return visible;
    }

    public async Task<bool> MaySeeAsync(Incident incident, string userId, CancellationToken cancellationToken)
    {
        if (!incident.IsPrivate || incident.DeclaredByUserId == userId || incident.LeaderUserId == userId)
        {
            return true;
        }

        if (incident.ChannelId is not { } channel)
        {
            return false;
        }

        try
        {
            await foreach (var member in SlackPagination.EnumerateAsync<string>(
                               async (cursor, ct) => await slack.Conversations.MembersAsync(new MembersRequest { Channel = channel, Cursor = cursor, Limit = 200 }, ct),
                               cancellationToken))
            {
                if (member == userId)
                {
                    return true;
                }
            }
        }
        catch (SlackApiException exception)
        {
            Log.MembersUnknown(logger, exception, incident.Id, exception.ErrorCode);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Could not read the members of private incident {IncidentId}'s channel ({Error}); it stays hidden")]
        public static partial void MembersUnknown(ILogger logger, Exception exception, int incidentId, string error);
    }
}
