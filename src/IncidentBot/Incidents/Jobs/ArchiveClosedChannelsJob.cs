using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// With <c>Incidents:ArchiveChannelAfterDays</c> set, archives a closed incident's own channel that many days after
/// its (last) close, once: an incident reopened meanwhile is live and keeps its channel. Only channels the bot
/// opened for the incident, and of those only one Slack says the bot created: never a channel people made.
/// </summary>
public sealed partial class ArchiveClosedChannelsJob(
    IncidentBotDbContext db,
    Outbox outbox,
    ISlackApiClient slack,
    SlackBotIdentity identity,
    IOptions<IncidentsOptions> options,
    TimeProvider time,
    ILogger<ArchiveClosedChannelsJob> logger)
{
    /// <summary>Slack's answers that end the matter: the channel is archived already, or cannot or need not be.</summary>
    private static readonly HashSet<string> Final = ["already_archived", "cant_archive_general", "not_in_channel", "channel_not_found", "restricted_action"];

    public static string OutboxKey(int incidentId) => $"incident/{incidentId}/archive";

    [AutomaticRetry(Attempts = 0)] // It runs again within the hour anyway.
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Without knowing who the bot is, it cannot tell its own channels from people's.
        if (options.Value.ArchiveChannelAfterDays is not { } days || identity.UserId is not { } bot)
        {
            return;
        }

        var closedBefore = time.GetUtcNow().UtcDateTime.AddDays(-days);
        var incidents = db.Incidents.AsNoTracking();
        var due = await incidents
            .Where(i => i.Status == IncidentStatus.Closed && i.HasDedicatedChannel && i.ChannelId != null && i.ClosedAt <= closedBefore)
            .Where(i => !incidents.Any(other => other.ChannelId == i.ChannelId && other.Status != IncidentStatus.Closed))
            .Select(i => new { i.Id, Channel = i.ChannelId! })
            .ToListAsync(cancellationToken);
        var archived = await outbox.SentOfAsync([.. due.Select(d => OutboxKey(d.Id))], cancellationToken);
        foreach (var incident in due.Where(d => !archived.Contains(OutboxKey(d.Id))))
        {
            await outbox.OnceAsync(OutboxKey(incident.Id), (_, ct) => ArchiveAsync(incident.Id, incident.Channel, bot, ct), cancellationToken);
        }
    }

    private async Task<OutboxResult> ArchiveAsync(int incidentId, string channel, string bot, CancellationToken cancellationToken)
    {
        try
        {
            var info = await slack.Conversations.InfoAsync(new ConversationInfoRequest { Channel = channel }, cancellationToken);
            if (info.Channel.Creator != bot)
            {
                Log.NotTheBots(logger, incidentId, channel);
            }
            else if (!info.Channel.IsArchived)
            {
                await slack.Conversations.ArchiveAsync(new ArchiveRequest { Channel = channel }, cancellationToken);
                Log.Archived(logger, incidentId, channel);
            }
        }
        catch (SlackApiException refused) when (Final.Contains(refused.ErrorCode))
        {
            Log.NotArchived(logger, incidentId, channel, refused.ErrorCode);
        }

        return new OutboxResult(channel, null);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Incident {IncidentId}: archived its channel {Channel}")]
        public static partial void Archived(ILogger logger, int incidentId, string channel);

        [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Incident {IncidentId}: channel {Channel} not archived ({ErrorCode})")]
        public static partial void NotArchived(ILogger logger, int incidentId, string channel, string errorCode);

        [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Incident {IncidentId}: channel {Channel} was not created by the bot; left as it is")]
        public static partial void NotTheBots(ILogger logger, int incidentId, string channel);
    }
}
