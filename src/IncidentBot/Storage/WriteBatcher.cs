using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Storage;

/// <summary>
/// The queue behind the request path's group commits: concurrent requests queue their writes, one writer takes what
/// is queued (up to a batch) and writes it at once, and each request is answered with its own result once that
/// write has committed. A batch that fails is written again one by one, so one bad write fails only its own request.
/// A request that stops waiting leaves its write queued, and it may still commit: the writes must be idempotent
/// (Slack's retry then meets the ledger).
/// </summary>
public sealed partial class WriteBatcher<TWrite, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<TWrite>, Task<TResult[]>> _write;
    private readonly int _maxBatch;
    private readonly string _what;
    private readonly ILogger _logger;
    private readonly Lock _startLock = new();
    private Task? _writer;

    /// <param name="write">Writes one batch, committed when it returns, with a result for each write, in order.</param>
    /// <param name="what">What a batch is, for the log.</param>
    public WriteBatcher(Func<IReadOnlyList<TWrite>, Task<TResult[]>> write, int maxBatch, string what, ILogger logger)
    {
        _write = write;
        _maxBatch = maxBatch;
        _what = what;
        _logger = logger;
    }

    /// <summary>Returns once <paramref name="write"/> is committed, with its result; throws what its own write threw.</summary>
    public Task<TResult> WriteAsync(TWrite write, CancellationToken cancellationToken)
    {
        EnsureWriterStarted();
        var pending = new Pending(write, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(_what);
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer;
        }
    }

    private void EnsureWriterStarted()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var writes = new List<TWrite>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                writes.Add(pending.Write);
            }

            await WriteBatchAsync(batch, writes);
            batch.Clear();
            writes.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch, List<TWrite> writes)
    {
        try
        {
            var results = await _write(writes);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }

            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(ex, _what, batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                pending.Done.TrySetResult((await _write([pending.Write]))[0]);
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "A {What} of {Count} writes failed; writing them one by one")]
    private partial void LogBatchFailed(Exception exception, string what, int count);

    private sealed record Pending(TWrite Write, TaskCompletionSource<TResult> Done);
}
