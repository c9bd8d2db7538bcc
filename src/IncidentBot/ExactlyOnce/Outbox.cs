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
/// While an attempt runs, its row is leased to this process (<see cref="Lease"/>, renewed every
/// <see cref="RenewEvery"/>): no other replica makes the same write until the lease lapses, which only a dead or
/// stalled process lets happen.
/// </summary>
public sealed class Outbox(
    IncidentBotDbContext db,
    InstallationId installation,
    OutboxClaimant claimant,
    ISlackApiClient slack,
    OutboxMetrics metrics,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<Outbox> logger)
{
    /// <summary>
    /// How long a claim stands without renewal. It bounds failover: a replica killed mid-write holds its rows this long
    /// at most, well inside the 30 seconds another replica has to finish the work (the dead server is found and its job
    /// re-queued meanwhile). Three renewals fit in it, so a live replica loses its lease only when it cannot reach the
    /// database for two renewals running, or stalls as long.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    /// <summary>A third of the lease: one late or failed renewal never lets it lapse.</summary>
    public static readonly TimeSpan RenewEvery = Lease / 3;

    /// <summary>Longer than any one write takes (a file upload included): waited so long for another attempt, the job fails and is retried.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan OtherAttemptPoll = TimeSpan.FromMilliseconds(100);

    public async Task<OutboxResult> OnceAsync(string key, Func<OutboxAttempt, CancellationToken, Task<OutboxResult>> write, CancellationToken cancellationToken)
    {
        var entry = await db.Outbox.FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (entry is { SentAt: not null })
        {
            return new OutboxResult(entry.ChannelId, entry.SlackId);
        }

        var leaseNow = await LeaseClock.NowAsync(db, cancellationToken);
        var mayHaveLanded = entry is not null;
        if (entry is null)
        {
            // Committed before the write: if we never hear back, the next attempt knows to look first. The key makes a
            // concurrent first attempt fail here, before it writes anything.
            entry = new OutboxEntry { Key = key, Token = Guid.NewGuid().ToString("N"), CreatedAt = time.GetUtcNow().UtcDateTime, ClaimedBy = claimant.Id, ClaimedUntil = leaseNow + Lease };
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
        else if (!await TryClaimAsync(key, leaseNow, cancellationToken))
        {
            return await AfterTheOtherAttemptAsync(key, write, cancellationToken);
        }

        var tag = $"{await installation.GetAsync(cancellationToken)}/{key}/{entry.Token}";
        OutboxResult result;
        using (var renewal = new OutboxLeaseRenewal(scopes, claimant.Id, logger, key, cancellationToken))
        {
            try
            {
                result = await write(new OutboxAttempt(tag, mayHaveLanded, new DateTimeOffset(entry.CreatedAt, TimeSpan.Zero)), renewal.WriteToken);
            }
            catch (Exception exception)
            {
                metrics.Failed(key);
                await renewal.StopAsync();
                // Free the claim so that a retry need not wait out the lease; the entry itself stays, unsent.
                await db.Outbox.Where(e => e.Key == key && e.ClaimedBy == claimant.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, (string?)null).SetProperty(e => e.ClaimedUntil, (DateTime?)null), CancellationToken.None);
                if (renewal.Lost && exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Stopped because another replica holds the row now: its attempt is the one under way.
                    throw new OutboxBusyException(key);
                }

                throw;
            }

            await renewal.StopAsync();
        }

        // Whatever happens to the job now (a shutdown cancelling it), what landed is recorded.
        entry.SentAt = time.GetUtcNow().UtcDateTime;
        entry.ClaimedBy = null;
        entry.ClaimedUntil = null;
        entry.ChannelId = result.ChannelId;
        entry.SlackId = result.SlackId;
        // The claim was taken by an update the tracked row never saw: clear it whatever EF believes it was.
        db.Entry(entry).Property(e => e.ClaimedBy).IsModified = true;
        db.Entry(entry).Property(e => e.ClaimedUntil).IsModified = true;
        await db.SaveChangesAsync(CancellationToken.None);
        metrics.Sent(key);
        return result;
    }

    /// <summary>
    /// Takes the row for this attempt when nobody holds it, its lease has lapsed, or (one process only) another
    /// claimant held it: that claimant is a process which is gone.
    /// </summary>
    private async Task<bool> TryClaimAsync(string key, DateTime leaseNow, CancellationToken cancellationToken)
    {
        var takeOverAtOnce = claimant.SoleProcess;
        return await db.Outbox
            .Where(e => e.Key == key && e.SentAt == null
                        && (e.ClaimedBy == null || e.ClaimedUntil <= leaseNow || (takeOverAtOnce && e.ClaimedBy != claimant.Id)))
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, claimant.Id).SetProperty(e => e.ClaimedUntil, leaseNow + Lease), cancellationToken) == 1;
    }

    /// <summary>
    /// Another run of this write (a retry racing the sweep's re-queue, or another replica) is under way: wait for its
    /// outcome rather than fail into Hangfire's retry delay. It landed: that is this run's result too. It failed, or its
    /// lease lapsed (its process died): this run tries, told that the other may have landed.
    /// </summary>
    private async Task<OutboxResult> AfterTheOtherAttemptAsync(string key, Func<OutboxAttempt, CancellationToken, Task<OutboxResult>> write, CancellationToken cancellationToken)
    {
        // Real time: the other run is waiting on Slack, not on this process's clock.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < LongestWait)
        {
            await Task.Delay(OtherAttemptPoll, cancellationToken);
            var other = await db.Outbox.AsNoTracking().FirstAsync(e => e.Key == key, cancellationToken);
            if (other.SentAt is not null)
            {
                return new OutboxResult(other.ChannelId, other.SlackId);
            }

            if (other.ClaimedBy is null || other.ClaimedUntil <= await LeaseClock.NowAsync(db, cancellationToken))
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

/// <summary>This process, as the claimant of outbox attempts (<see cref="OutboxEntry.ClaimedBy"/>).</summary>
/// <param name="soleProcess">
/// Whether this is the only process on the database. On SQLite it is: the database file lock (Storage) lets one bot
/// at a time open the file, so a claim held by any other claimant was left by a process that is gone (a crash, a
/// restart), and is taken over at once rather than after its lease. On PostgreSQL other replicas are alive and
/// working: their claims are taken over only when their lease has lapsed.
/// </param>
public sealed class OutboxClaimant(bool soleProcess)
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public bool SoleProcess { get; } = soleProcess;
}
