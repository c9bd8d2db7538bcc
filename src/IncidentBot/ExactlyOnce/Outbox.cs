using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>What one attempt of an outbox write is told.</summary>
/// <param name="Tag">Unique to this write in this installation: the post's idempotency key in Slack.</param>
/// <param name="MayHaveLanded">An earlier attempt began and never learnt the outcome: look before sending again.</param>
/// <param name="Since">When the first attempt began: nothing older can be the earlier attempt's result.</param>
public sealed record OutboxAttempt(string Tag, bool MayHaveLanded, DateTimeOffset Since)
{
    /// <summary>The post, tagged for this attempt: chat.postMessage then looks for a lost earlier attempt itself.</summary>
    public PostMessageRequest Tagged(PostMessageRequest request) =>
        request with { IdempotencyKey = Tag, MayHaveLanded = MayHaveLanded, NotBefore = Since };
}

/// <summary>Where a write landed and what Slack returned (a ts, a file, channel or canvas id).</summary>
public sealed record OutboxResult(string? ChannelId, string? SlackId);

/// <summary>
/// The one way the bot makes a write to Slack happen once: <see cref="OnceAsync"/> records the intent, runs the
/// write, and records the outcome; a write already recorded as sent is never made again, and one whose outcome was
/// lost (a crash, a timeout) is made again only after the write itself has looked for it (<see cref="OutboxAttempt"/>).
/// </summary>
public sealed class Outbox(IncidentBotDbContext db, InstallationId installation, OutboxClaimant claimant, ISlackApiClient slack, OutboxMetrics metrics, TimeProvider time)
{
    /// <summary>Longer than any one write takes (a file upload included); a stuck attempt's claim lapses after it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan OtherAttemptPoll = TimeSpan.FromMilliseconds(100);

    public async Task<OutboxResult> OnceAsync(string key, Func<OutboxAttempt, CancellationToken, Task<OutboxResult>> write, CancellationToken cancellationToken)
    {
        var entry = await db.Outbox.FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (entry is { SentAt: not null })
        {
            return new OutboxResult(entry.ChannelId, entry.SlackId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var mayHaveLanded = entry is not null;
        if (entry is null)
        {
            // Committed before the write: if we never hear back, the next attempt knows to look first. The key makes a
            // concurrent first attempt fail here, before it writes anything.
            entry = new OutboxEntry { Key = key, Token = Guid.NewGuid().ToString("N"), CreatedAt = now, ClaimedBy = claimant.Id, ClaimedUntil = now + Lease };
            db.Outbox.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another run's first attempt recorded it first (the key refused ours): wait for that one.
                db.Entry(entry).State = EntityState.Detached;
                if (!await db.Outbox.AsNoTracking().AnyAsync(e => e.Key == key, cancellationToken))
                {
                    throw;
                }

                return await AfterTheOtherAttemptAsync(key, write, cancellationToken);
            }
        }
        else if (await db.Outbox.Where(e => e.Key == key && e.SentAt == null && !(e.ClaimedBy == claimant.Id && e.ClaimedUntil > now))
                     .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, claimant.Id).SetProperty(e => e.ClaimedUntil, now + Lease), cancellationToken) == 0)
        {
            return await AfterTheOtherAttemptAsync(key, write, cancellationToken);
        }

        var tag = $"{await installation.GetAsync(cancellationToken)}/{key}/{entry.Token}";
        OutboxResult result;
        try
        {
            result = await write(new OutboxAttempt(tag, mayHaveLanded, new DateTimeOffset(entry.CreatedAt, TimeSpan.Zero)), cancellationToken);
        }
        catch
        {
            metrics.Failed(key);
            // Free the claim so that a retry need not wait out the lease; the entry itself stays, unsent.
            await db.Outbox.Where(e => e.Key == key && e.ClaimedBy == claimant.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, (string?)null).SetProperty(e => e.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            throw;
        }

        // Whatever happens to the job now (a shutdown cancelling it), what landed is recorded.
        entry.SentAt = time.GetUtcNow().UtcDateTime;
        entry.ClaimedBy = null;
        entry.ClaimedUntil = null;
        entry.ChannelId = result.ChannelId;
        entry.SlackId = result.SlackId;
        await db.SaveChangesAsync(CancellationToken.None);
        metrics.Sent(key);
        return result;
    }

    /// <summary>
    /// Another run of this write (a retry racing the sweep's re-queue) is under way: wait for its outcome rather than
    /// fail into Hangfire's retry delay. It landed: that is this run's result too. It failed: this run tries.
    /// </summary>
    private async Task<OutboxResult> AfterTheOtherAttemptAsync(string key, Func<OutboxAttempt, CancellationToken, Task<OutboxResult>> write, CancellationToken cancellationToken)
    {
        // Real time: the other run is waiting on Slack, not on this process's clock.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < Lease)
        {
            await Task.Delay(OtherAttemptPoll, cancellationToken);
            var other = await db.Outbox.AsNoTracking().FirstAsync(e => e.Key == key, cancellationToken);
            if (other.SentAt is not null)
            {
                return new OutboxResult(other.ChannelId, other.SlackId);
            }

            if (other.ClaimedBy is null)
            {
                return await OnceAsync(key, write, cancellationToken);
            }
        }

        throw new OutboxBusyException(key);
    }

    /// <summary>A chat.postMessage, once: tagged, and looked for among the bot's own posts when an answer was lost.</summary>
    public async Task<OutboxResult> PostOnceAsync(string key, PostMessageRequest request, CancellationToken cancellationToken) =>
        await OnceAsync(key, async (attempt, ct) =>
        {
            var posted = await slack.Chat.PostMessageAsync(attempt.Tagged(request), ct);
            return new OutboxResult(posted.Channel, posted.Ts);
        }, cancellationToken);

    /// <summary>The recorded outcome of a write, once it was sent; null before.</summary>
    public async Task<OutboxResult?> SentAsync(string key, CancellationToken cancellationToken) =>
        await db.Outbox.Where(e => e.Key == key && e.SentAt != null)
            .Select(e => new OutboxResult(e.ChannelId, e.SlackId))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Which of these writes were sent (for a capability's "what is unfinished" question).</summary>
    public async Task<HashSet<string>> SentOfAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        [.. await db.Outbox.Where(e => keys.Contains(e.Key) && e.SentAt != null).Select(e => e.Key).ToListAsync(cancellationToken)];
}

/// <summary>Another attempt at this write has been under way for a whole lease; the job fails, and is retried later.</summary>
public sealed class OutboxBusyException(string key) : Exception($"Another attempt to write {key} to Slack is under way.")
{
    public string Key { get; } = key;
}

/// <summary>
/// This process, as the claimant of outbox attempts. Two runs of one write in this process (a retry racing the sweep's
/// re-queue) never overlap; a claim left by a process that is gone (a crash, a restart) is not waited for, since with
/// in-process job storage nothing of that process can still be running.
/// </summary>
public sealed class OutboxClaimant
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}
