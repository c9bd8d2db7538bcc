using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

public static class Clock
{
    /// <summary>The seed incident's morning: 2017-09-21 06:00 UTC.</summary>
    public static FakeTimeProvider AtSeedIncident() => new(new DateTimeOffset(2017, 9, 21, 6, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Moves fake time forward a step at a time, letting the code under test run between steps, until
    /// <paramref name="task"/> completes; fails if it needs more than <paramref name="limit"/> of fake time.
    /// </summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan limit)
    {
        await Eventually.UntilOnClock(time, () => task.IsCompleted, step, limit, done: task);
        return await task.WaitAsync(Eventually.DefaultTimeout);
    }

    /// <inheritdoc cref="AdvanceUntilDoneAsync{T}(FakeTimeProvider, Task{T}, TimeSpan, TimeSpan)"/>
    public static async Task AdvanceUntilDoneAsync(this FakeTimeProvider time, Task task, TimeSpan step, TimeSpan limit)
    {
        await Eventually.UntilOnClock(time, () => task.IsCompleted, step, limit, done: task);
        await task.WaitAsync(Eventually.DefaultTimeout);
    }
}
