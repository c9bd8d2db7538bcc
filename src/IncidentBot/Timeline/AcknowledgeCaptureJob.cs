using Hangfire;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

/// <summary>
/// Shows on a Slack message whether it is on the record: the bot's own <c>Incidents:CaptureReaction</c> while an entry
/// is made from it (one removed in review is still recorded, so it keeps it), none once the last is gone. It sets
/// Slack to what the record says rather than replaying what happened, so it may run any number of times, in any
/// order, with one result; Slack's <c>already_reacted</c> and <c>no_reaction</c> are that result, not failures.
/// A reaction is a state Slack keeps once, so this needs no outbox entry.
/// </summary>
public sealed partial class AcknowledgeCaptureJob(
    IncidentBotDbContext db, ISlackApiClient slack, IOptions<TimelineOptions> options, ILogger<AcknowledgeCaptureJob> logger)
{
    /// <summary>What Slack answers when there is nothing left to acknowledge: the message or its channel is gone or closed to us.</summary>
    private static readonly HashSet<string> Unreachable = ["message_not_found", "channel_not_found", "not_in_channel", "is_archived", "thread_locked"];

    [AutomaticRetry(Attempts = 5)]
    // One at a time: a run that read "captured" must not add its reaction after a later run took it away.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(string channelId, string ts, CancellationToken cancellationToken)
    {
        var emoji = options.Value.CaptureReaction;
        if (emoji.Length == 0)
        {
            return;
        }

        var captured = await db.TimelineEntries.AnyAsync(
            e => e.Kind == EntryKind.Message && e.SourceChannelId == channelId && e.SourceTs == ts, cancellationToken);
        try
        {
            if (captured)
            {
                await slack.Reactions.AddAsync(new AddReactionRequest { Channel = channelId, Timestamp = ts, Name = emoji }, cancellationToken);
            }
            else
            {
                await slack.Reactions.RemoveAsync(new RemoveReactionRequest { Channel = channelId, Timestamp = ts, Name = emoji }, cancellationToken);
            }
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "already_reacted" or "no_reaction")
        {
            // Already as the record says.
        }
        catch (SlackApiException exception) when (Unreachable.Contains(exception.ErrorCode))
        {
            Log.Unreachable(logger, channelId, ts, exception.ErrorCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Could not show the capture of {Channel}/{Ts} ({ErrorCode}); nothing left to show it on")]
        public static partial void Unreachable(ILogger logger, string channel, string ts, string errorCode);
    }
}
