using Hangfire;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;

namespace IncidentBot.DeadLetters;

/// <summary>
/// Handles one dead letter's event again through the same inbound pipeline as a delivery. Success removes the dead
/// letter; a failure keeps it, with its error, for the sweep to queue again later (with a growing pause).
/// </summary>
internal sealed partial class ReplayDeadLetterJob(
    IncidentBotDbContext db, SlackInbound inbound, DeadLetterCounter counter, TimeProvider time, ILogger<ReplayDeadLetterJob> logger)
{
    /// <summary>Tells the handlers (<c>SlackRequestContext.Delivery</c>) that this is a replay, not Slack's delivery.</summary>
    public const string RetryReason = "dead_letter_replay";

    [AutomaticRetry(Attempts = 0)] // The sweep queues it again, less and less often, until it succeeds.
    public async Task RunAsync(long deadLetterId, CancellationToken cancellationToken)
    {
        if (await db.DeadLetters.FindAsync([deadLetterId], cancellationToken) is not { } letter)
        {
            return; // replayed already
        }

        try
        {
            await inbound.ReplayAsync(
                new InboundDelivery
                {
                    Kind = InboundKind.Event,
                    Body = InboundBody.Json(System.Text.Encoding.UTF8.GetBytes(letter.Body)),
                    Source = $"dead letter {letter.Id} (from {letter.Source})",
                    Attempt = new SlackDelivery(SlackInbound.DeadLetterFromRetry, RetryReason),
                },
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            letter.Replays++;
            letter.LastFailedAt = time.GetUtcNow().UtcDateTime;
            letter.LastError = DeadLetterDelivery.ErrorOf(exception);
            await db.SaveChangesAsync(cancellationToken);
            Log.StillFailing(logger, exception, letter.Id, letter.Type, letter.EventId, letter.Replays);
            return;
        }

        db.DeadLetters.Remove(letter);
        await db.SaveChangesAsync(cancellationToken);
        counter.CountReplayed();
        Log.Replayed(logger, letter.Id, letter.Type, letter.EventId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Replayed dead letter {DeadLetterId} ({EventType} {EventId}): handled, and removed")]
        public static partial void Replayed(ILogger logger, long deadLetterId, string eventType, string eventId);

        [LoggerMessage(EventId = 6107, Level = LogLevel.Warning, Message = "Replaying dead letter {DeadLetterId} ({EventType} {EventId}) failed again (replay {Replays}); kept for a later replay")]
        public static partial void StillFailing(ILogger logger, Exception exception, long deadLetterId, string eventType, string eventId, int replays);
    }
}
