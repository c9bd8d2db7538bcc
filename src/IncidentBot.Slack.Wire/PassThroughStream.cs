namespace IncidentBot.Slack.Wire;

/// <summary>
/// A stream that hands every call to the one it wraps, with two hooks for what a wrapper under a WebSocket wants to
/// do: see each read (and drop what it read) and hold writes back. The bot meters its Socket Mode links with it; the
/// fake Slack silences its own. Not seekable: both wrap network streams.
/// </summary>
public abstract class PassThroughStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>False while writes (and flushes) are to be dropped instead of passed on.</summary>
    protected virtual bool PassesWrites => true;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        do
        {
            read = inner.Read(buffer);
        }
        while (read > 0 && !OnRead(read));

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        do
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        while (read > 0 && !OnRead(read));

        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (PassesWrites)
        {
            inner.Write(buffer);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        PassesWrites ? inner.WriteAsync(buffer, cancellationToken) : ValueTask.CompletedTask;

    public override void Flush()
    {
        if (PassesWrites)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => PassesWrites ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>
    /// Sees each read of <paramref name="bytesRead"/> bytes (never the end of the stream): true passes them on, false
    /// drops them and reads again.
    /// </summary>
    protected virtual bool OnRead(int bytesRead) => true;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
