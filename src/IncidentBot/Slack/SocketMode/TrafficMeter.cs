namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// When a connection last received anything at all. It sees the bytes under the WebSocket, so it counts what
/// <see cref="System.Net.WebSockets.ClientWebSocket"/> keeps to itself: Slack's pings and the pongs to ours.
/// That is what tells a quiet-but-alive link (no events for hours) from a dead or stuck one.
/// </summary>
internal sealed class TrafficMeter(TimeProvider time)
{
    private long _lastReceived = time.GetTimestamp();

    public TimeSpan SinceLastReceived => time.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    public void Received() => Interlocked.Exchange(ref _lastReceived, time.GetTimestamp());

    /// <summary>Wraps the connection's plaintext stream (after TLS) so that every read is counted.</summary>
    public Stream Wrap(Stream inner) => new MeteredStream(inner, this);

    private sealed class MeteredStream(Stream inner, TrafficMeter meter) : Stream
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

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            if (read > 0)
            {
                meter.Received();
            }

            return read;
        }
    }
}
