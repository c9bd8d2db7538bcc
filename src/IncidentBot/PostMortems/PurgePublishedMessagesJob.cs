using Hangfire;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Once an incident's draft is published, its record is the draft and the timeline; the conversation captured from its
/// channel (the Messages table, Timeline's) is only kept <c>Storage:KeepMessagesDays</c> longer, counted from the
/// publication of the latest version. It lives here because the publication is this capability's fact and PostMortems
/// may read Timeline's tables (not the reverse). A live or reopened incident (not Closed), or one whose latest
/// version is not yet published, keeps every message.
/// </summary>
public sealed partial class PurgePublishedMessagesJob(
    IncidentBotDbContext db, TimeProvider time, IOptions<StorageOptions> options, ILogger<PurgePublishedMessagesJob> logger)
{
    public const string Id = "purge-published-messages";

    [AutomaticRetry(Attempts = 0)] // It runs again tomorrow; a late purge loses nothing.
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.KeepMessagesDays);
        // A local, not db.PostMortems in the lambda: an expression tree cannot hold an extension property.
        var drafts = db.PostMortems;
        var expired = db.Incidents
            .Where(i => i.Status == IncidentStatus.Closed)
            .Where(i => drafts.Where(p => p.IncidentId == i.Id).OrderByDescending(p => p.Version).Select(p => p.PublishedAt).FirstOrDefault() < cutoff)
            .Select(i => i.Id);

        var purged = await db.Messages.Where(m => expired.Contains(m.IncidentId)).ExecuteDeleteAsync(cancellationToken);
        if (purged > 0)
        {
            Log.Purged(logger, purged, options.Value.KeepMessagesDays);
        }

        return purged;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Purged {Count} captured messages of incidents whose draft was published more than {KeepMessagesDays} days ago")]
        public static partial void Purged(ILogger logger, int count, int keepMessagesDays);
    }
}
