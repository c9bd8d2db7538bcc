using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Slack.Http;

/// <summary>Measured alone (no other test allocates meanwhile), so that the process's allocations are the bot's.</summary>
[CollectionDefinition(nameof(BodyAllocationTests), DisableParallelization = true)]
public sealed class BodyAllocationCollection;

/// <summary>A body is never buffered at the size a client claims, only at the size that arrives.</summary>
[Collection(nameof(BodyAllocationTests))]
public sealed class BodyAllocationTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync() => _testbed = await SlackTestbed.StartAsync();

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task Many_connections_claiming_a_large_body_do_not_cost_a_large_buffer_each()
    {
        const int connections = 40;
        const int claimed = 1024 * 1024; // the default limit, and what each one claims
        var signature = "v0=" + new string('0', 64); // well-formed, wrong: the body is read before it is found out

        // Warm up, then the baseline: the same number of connections, each honest about its 10 bytes.
        await InputHardeningTests.SendPartialAsync(_testbed.Bot.BaseUrl.Port, 10, signature, connections);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await InputHardeningTests.SendPartialAsync(_testbed.Bot.BaseUrl.Port, 10, signature, connections);
        var baseline = GC.GetTotalAllocatedBytes(precise: true) - before;

        before = GC.GetTotalAllocatedBytes(precise: true);
        await InputHardeningTests.SendPartialAsync(_testbed.Bot.BaseUrl.Port, claimed, signature, connections);
        var claiming = GC.GetTotalAllocatedBytes(precise: true) - before;

        // Pre-allocating what they claim would cost connections × 1 MiB (40 MiB) more than the baseline.
        output.WriteLine($"{connections} connections claiming {claimed} bytes each: {claiming} bytes allocated; {connections} honest 10-byte requests: {baseline} bytes.");
        Assert.True(claiming - baseline < connections * (long)claimed / 2, $"claiming {claiming} bytes vs baseline {baseline} bytes for {connections} connections");
    }

}
