using System.Data.Common;
using Hangfire;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

/// <summary>
/// Shows on each asked-for Slack message (<see cref="CaptureAcknowledgements"/>) whether it is on the record: the bot's
/// own <c>Incidents:CaptureReaction</c> while an entry is made from it (one removed in review is still recorded, so it
/// keeps it), none once the last is gone. It sets Slack to what the record says rather than replaying what happened, so
/// a message asked for many times is set once, and any number of runs give one result; Slack's
/// <c>already_reacted</c> and <c>no_reaction</c> are that result, not failures. A reaction is a state Slack keeps
/// once, so this needs no outbox entry.
/// </summary>
public sealed partial class AcknowledgeCaptureJob(
    IncidentBotDbContext db,
    ISlackApiClient slack,
    CaptureAcknowledgements acknowledgements,
    IOptions<TimelineOptions> options,
    TimeProvider time,
    ILogger<AcknowledgeCaptureJob> logger)
{
    /// <summary>Asks read at a time; a drain goes on until none is left, or hands over to a fresh run after <see cref="MostPerRun"/>.</summary>
    private const int Batch = 100;

    private const int MostPerRun = 2_000;

    /// <summary>What Slack answers when there is nothing left to acknowledge: the message or its channel is gone or closed to us.</summary>
    private static readonly HashSet<string> Unreachable = ["message_not_found", "channel_not_found", "not_in_channel", "is_archived", "thread_locked"];

    // One drain at a time: a run that read "captured" must not add its reaction after a later run took it away. On
    // shared job storage the job (queued by the sweep, or by an earlier version) only wakes this replica's drainer,
    // which holds the replicas' lock instead.
    [AutomaticRetry(Attempts = 0)] // What it could not set stays asked for: the next drain, or the sweep's, takes it.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (acknowledgements.DrainsInProcess)
        {
            acknowledgements.Drain();
            return;
        }

        await DrainAsync(cancellationToken);
    }

    /// <summary>Sets every asked-for message; the caller makes sure only one drain runs at a time.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        acknowledgements.DrainStarted();
        for (var done = 0; done < MostPerRun;)
        {
            var asked = await ReadAskedAsync(cancellationToken);
            var set = new List<CaptureAcknowledgement>(asked.Count);
            try
            {
                foreach (var (ask, captured) in asked)
                {
                    await SetAsync(ask, captured, cancellationToken);
                    set.Add(ask);
                }
            }
            finally
            {
                // What was set is forgotten even when Slack stops the drain part-way, so that the next one does not ask
                // Slack again for those.
                await acknowledgements.ForgetAsync(set, CancellationToken.None);
            }

            if (asked.Count < Batch)
            {
                // All there was when it was read. An ask committed since then started, or woke, a drain of its own
                // (this one said it had started before it read), so a read more would only find nothing.
                return;
            }

            done += asked.Count;
        }

        acknowledgements.Drain();
    }

    /// <summary>Queued by an earlier version, one per message: that message is asked for, and everything asked for is set.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(string channelId, string ts, CancellationToken cancellationToken)
    {
        await acknowledgements.RequestAsync(db, channelId, ts, time.GetUtcNow().UtcDateTime, cancellationToken);
        await RunAsync(cancellationToken);
    }

    /// <summary>
    /// Slack's answer for one message is final for it; only Slack out of reach, or still limiting after the client's
    /// own retries, ends the drain (thrown), leaving the rest asked for.
    /// </summary>
    private async Task SetAsync(CaptureAcknowledgement ask, bool captured, CancellationToken cancellationToken)
    {
        var emoji = options.Value.CaptureReaction;
        if (emoji.Length == 0)
        {
            return;
        }

        try
        {
            if (captured)
            {
                await slack.Reactions.AddAsync(new AddReactionRequest { Channel = ask.ChannelId, Timestamp = ask.Ts, Name = emoji }, cancellationToken);
            }
            else
            {
                await slack.Reactions.RemoveAsync(new RemoveReactionRequest { Channel = ask.ChannelId, Timestamp = ask.Ts, Name = emoji }, cancellationToken);
            }
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "already_reacted" or "no_reaction")
        {
            // Already as the record says.
        }
        catch (SlackApiException exception) when (Unreachable.Contains(exception.ErrorCode))
        {
            Log.Unreachable(logger, ask.ChannelId, ask.Ts, exception.ErrorCode);
        }
        catch (SlackApiException exception) when (exception is not SlackRateLimitedException)
        {
            // Asking again would get the same answer, and the messages behind this one must not wait on it.
            Log.Refused(logger, ask.ChannelId, ask.Ts, exception.ErrorCode);
        }
    }

    /// <summary>
    /// The oldest asks, each with whether its message is on the record now. Two reads, not one with a subquery per
    /// ask: in one statement PostgreSQL planned that subquery for every ask in the table, not for the few the pass
    /// takes, and chose to hash all the timeline entries of every incident ever, in each pass (7 ms a pass after
    /// 17,000 entries, and growing). The second read looks up these asks only, by the entries' (channel, ts) index,
    /// and, made after the first, never sees the record older than the asks it answers.
    /// </summary>
    private async Task<List<Asked>> ReadAskedAsync(CancellationToken cancellationToken)
    {
        var asks = await OldestAsks(db).ToListAsync(cancellationToken);
        if (asks.Count == 0)
        {
            return [];
        }

        var onRecord = await db.RunCommandAsync(OnRecordSql, async command =>
        {
            var found = new HashSet<(string, string)>();
            await using var reader = await AddKeys(command, asks).ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }

            return found;
        }, cancellationToken);
        return [.. asks.Select(a => new Asked(a, onRecord.Contains((a.ChannelId, a.Ts))))];
    }

    /// <summary>The asks a pass takes, oldest first.</summary>
    internal static IQueryable<CaptureAcknowledgement> OldestAsks(IncidentBotDbContext db) =>
        db.CaptureAcknowledgements.AsNoTracking().OrderBy(a => a.RequestedAt).Take(Batch);

    /// <summary>
    /// Of a pass's asked messages (@c0, @t0 … up to <see cref="Batch"/>), those with an entry. By hand, as row values:
    /// EF's translation of a list's Contains on these nullable columns adds a NULL test on the list that PostgreSQL's
    /// generic plan of a prepared statement cannot fold away, so it scanned the whole table (37 ms a pass). Always
    /// <see cref="Batch"/> pairs (<see cref="AddKeys"/> repeats the last), so that it is one statement to prepare.
    /// </summary>
    internal static readonly string OnRecordSql = $"""
        SELECT "SourceChannelId", "SourceTs" FROM "TimelineEntries"
        WHERE "Kind" = '{nameof(EntryKind.Message)}' AND ("SourceChannelId", "SourceTs") IN (VALUES {string.Join(", ", Enumerable.Range(0, Batch).Select(i => $"(@c{i}, @t{i})"))})
        """;

    internal static DbCommand AddKeys(DbCommand command, IReadOnlyList<CaptureAcknowledgement> asks)
    {
        for (var i = 0; i < Batch; i++)
        {
            var ask = asks[Math.Min(i, asks.Count - 1)];
            command.AddParameter($"@c{i}", ask.ChannelId).AddParameter($"@t{i}", ask.Ts);
        }

        return command;
    }

    private sealed record Asked(CaptureAcknowledgement Ask, bool Captured);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Could not show the capture of {Channel}/{Ts} ({ErrorCode}); nothing left to show it on")]
        public static partial void Unreachable(ILogger logger, string channel, string ts, string errorCode);

        [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Slack refused to show the capture of {Channel}/{Ts} ({ErrorCode}); left as it is")]
        public static partial void Refused(ILogger logger, string channel, string ts, string errorCode);
    }
}
