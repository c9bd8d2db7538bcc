using System.Threading.Channels;
using IncidentBot.Storage;

namespace IncidentBot.Timeline;

/// <summary>
/// On shared job storage, where the replicas share one database: this replica's drain of the capture asks
/// (<see cref="AcknowledgeCaptureJob.DrainAsync"/>), woken by an ask instead of queued as a job. Asks made while a drain
/// runs wake one more (the running one may have read past them), so a burst of pins costs a drain or two, not a job
/// each. One drain at a time across the replicas, under the replicas' lock: a replica woken while another drains waits
/// for it, then drains what is left. An ask it could not set stays in the table; the sweep wakes a drain for asks
/// older than a minute, so a replica that dies mid-drain loses nothing.
/// </summary>
public sealed partial class CaptureAcknowledgementDrainer(IServiceScopeFactory scopes, ReplicaLocks locks, ILogger<CaptureAcknowledgementDrainer> logger)
    : BackgroundService
{
    public const string LockName = "capture-acknowledgements";

    // Longer than a drain of a burst under Slack's limit for reactions.add takes; past it, this replica waits again.
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private volatile bool _draining;

    /// <summary>After the commit of an ask: a drain starts after it (one already waiting to start covers it).</summary>
    public void Signal() => _wake.Writer.TryWrite(true);

    /// <summary>No drain running or waiting to start (what a test waits for before it looks at Slack).</summary>
    // The wake-up is read first: the loop marks itself draining before it takes one, so "none waiting, not draining"
    // cannot fall between the two.
    public bool IsIdle => _wake.Reader.Count == 0 && !_draining;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _wake.Reader.WaitToReadAsync(stoppingToken))
        {
            // Taken before the drain reads: an ask committed from now on wakes the next one.
            _draining = true;
            _wake.Reader.TryRead(out _);
            try
            {
                await using var held = await locks.HoldAsync(LockName, LockWait, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await ActivatorUtilities.CreateInstance<AcknowledgeCaptureJob>(scope.ServiceProvider).DrainAsync(stoppingToken);
            }
            catch (ReplicaLockTimeoutException)
            {
                Signal();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogDrainFailed(logger, exception);
            }
            finally
            {
                _draining = false;
            }
        }
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "A drain of the capture reactions stopped; what it could not set stays asked for, and the sweep takes it within minutes")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);
}
