using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// Keeps an outbox attempt's lease alive while its write runs, from a scope of its own (the job's DbContext is busy
/// with the write and not thread-safe). Finding the row no longer ours (the lease lapsed in a stall and another
/// replica took it), it says so and stops the write: the other attempt is the one to finish it.
/// </summary>
internal sealed partial class OutboxLeaseRenewal : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly string _claimant;
    private readonly ILogger _logger;
    private readonly string _key;
    private readonly CancellationTokenSource _write;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OutboxLeaseRenewal(IServiceScopeFactory scopes, string claimant, ILogger logger, string key, CancellationToken cancellationToken)
    {
        _scopes = scopes;
        _claimant = claimant;
        _logger = logger;
        _key = key;
        _write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(RenewAsync);
    }

    /// <summary>The write's token: the job's, and cancelled when the lease is lost.</summary>
    public CancellationToken WriteToken => _write.Token;

    public bool Lost { get; private set; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _write.Dispose();
    }

    private async Task RenewAsync()
    {
        while (true)
        {
            try
            {
                // Real time, as the lease's clock: whether a process is alive is no fake clock's to say.
                await Task.Delay(Outbox.RenewEvery, _stop.Token);
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
                var now = await LeaseClock.NowAsync(db, _stop.Token);
                var renewed = await db.Outbox.Where(e => e.Key == _key && e.ClaimedBy == _claimant && e.SentAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedUntil, now + Outbox.Lease), _stop.Token);
                if (renewed == 0)
                {
                    Lost = true;
                    Log.LeaseLost(_logger, _key, _claimant);
                    await _write.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The lease still stands until it lapses; the next renewal tries again.
                Log.CouldNotRenew(_logger, exception, _key);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5210, Level = LogLevel.Warning, Message = "The outbox lease on {OutboxKey} was lost: another replica took it over while claimant {Claimant} was still writing; this attempt stops, and the other finishes the write")]
        public static partial void LeaseLost(ILogger logger, string outboxKey, string claimant);

        [LoggerMessage(EventId = 5211, Level = LogLevel.Warning, Message = "Could not renew the outbox lease on {OutboxKey}; it stands until it lapses, and is tried again")]
        public static partial void CouldNotRenew(ILogger logger, Exception exception, string outboxKey);
    }
}

/// <summary>
/// The clock outbox leases are judged by. On PostgreSQL it is the database server's, the one clock every replica
/// shares (as Hangfire.PostgreSql judges its own fetches and heartbeats by the server's NOW()), so a replica's clock
/// drifting cannot make a live lease look lapsed. On SQLite one machine runs the only process: its real clock. Never
/// the bot's TimeProvider: a lease measures whether a process is alive, and a test's fake clock cannot tell that.
/// </summary>
internal static class LeaseClock
{
    public static async Task<DateTime> NowAsync(IncidentBotDbContext db, CancellationToken cancellationToken) =>
        db.IsPostgreSql
            ? await db.Database.SqlQueryRaw<DateTime>("SELECT now() AS \"Value\"").SingleAsync(cancellationToken)
            : TimeProvider.System.GetUtcNow().UtcDateTime;
}
