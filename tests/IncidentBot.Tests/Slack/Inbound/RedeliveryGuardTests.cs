using System.Text.Json;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Slack.Inbound;

/// <summary>
/// The in-memory guard against Socket Mode redeliveries holds no state per message (issue 14): within its 10 minutes
/// it still answers a redelivery without handling it again, but a busy channel cannot grow it past its capacity.
/// </summary>
public sealed class RedeliveryGuardTests
{
    private static readonly Func<Task<JsonElement?>> Handle = () => Task.FromResult<JsonElement?>(null);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_redelivery_within_the_retention_is_acknowledged_without_being_handled_again()
    {
        // Arrange
        var guard = new RedeliveryGuard(_time);
        await guard.RunOnceAsync("Ev0001", Handle);
        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var (_, handled) = await guard.RunOnceAsync("Ev0001", Handle);

        // Assert
        Assert.False(handled);
    }

    [Fact]
    public async Task Deliveries_beyond_its_capacity_within_the_retention_make_it_forget_the_oldest_not_grow()
    {
        // Arrange: more succeeded deliveries than it may hold, all within the same minute.
        var guard = new RedeliveryGuard(_time);
        var keys = Enumerable.Range(0, RedeliveryGuard.Capacity + 500).Select(i => $"Ev{i:D6}").ToList();
        foreach (var key in keys)
        {
            await guard.RunOnceAsync(key, Handle);
        }

        // Act: the newest is redelivered, then the oldest.
        var (_, newestHandledAgain) = await guard.RunOnceAsync(keys[^1], Handle);
        var (_, oldestHandledAgain) = await guard.RunOnceAsync(keys[0], Handle);

        // Assert: bounded; the newest is still stopped here, the oldest is left to the durable de-duplication.
        Assert.InRange(guard.Count, 1, RedeliveryGuard.Capacity + 1);
        Assert.False(newestHandledAgain);
        Assert.True(oldestHandledAgain);
    }
}
