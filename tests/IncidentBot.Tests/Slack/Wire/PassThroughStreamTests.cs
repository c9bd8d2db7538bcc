using IncidentBot.Slack.Wire;

namespace IncidentBot.Tests.Slack.Wire;

public sealed class PassThroughStreamTests
{
    [Fact]
    public async Task Reads_and_writes_pass_through_and_each_read_is_seen()
    {
        var inner = Inner();
        await using var stream = new Watching(inner);
        var buffer = new byte[2];

        var first = await stream.ReadAsync(buffer);
        var second = stream.Read(buffer, 0, 2);
        var end = await stream.ReadAsync(buffer);
        await stream.WriteAsync(new byte[] { 9 });

        Assert.Equal((2, 1, 0), (first, second, end));
        Assert.Equal([2, 1], stream.Seen);
        Assert.Equal([1, 2, 3, 9], inner.ToArray());
    }

    [Fact]
    public async Task Dropped_reads_are_read_again_and_held_writes_go_nowhere()
    {
        var inner = Inner();
        await using var stream = new Watching(inner) { Drop = true };
        var buffer = new byte[2];

        var read = await stream.ReadAsync(buffer);
        await stream.WriteAsync(new byte[] { 9 });
        stream.Write([9]);
        await stream.FlushAsync();

        Assert.Equal(0, read);
        Assert.Equal([2, 1], stream.Seen);
        Assert.Equal([1, 2, 3], inner.ToArray());
    }

    /// <summary>Three bytes to read, and room to write after them.</summary>
    private static MemoryStream Inner()
    {
        var inner = new MemoryStream();
        inner.Write([1, 2, 3]);
        inner.Position = 0;
        return inner;
    }

    private sealed class Watching(Stream inner) : PassThroughStream(inner)
    {
        public List<int> Seen { get; } = [];

        public bool Drop { get; init; }

        protected override bool PassesWrites => !Drop;

        protected override bool OnRead(int bytesRead)
        {
            Seen.Add(bytesRead);
            return !Drop;
        }
    }
}
