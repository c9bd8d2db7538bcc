using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The one way tests wait for an effect they cannot await: poll its condition until it holds, on the real clock
/// (<see cref="Until(Func{Task{bool}}, string, Func{string}?, TimeSpan?)"/>) or on a fake one moved a step at a time
/// (<see cref="UntilOnClock"/>). A test never sleeps for an effect; when the wait runs out, the failure says what was
/// awaited and what was last seen.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// Generous on purpose: the suite runs on two shared cores beside other work, where an effect that takes 50 ms
    /// on a quiet machine can take seconds. A wait that holds returns as soon as it holds, so only a failing test
    /// pays for the length.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often a condition is looked at; short, as looking is cheap next to what a test waits for.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="awaited"/> and <paramref name="lastSeen"/> when it does not within <paramref name="timeout"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, string awaited, Func<string>? lastSeen = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (!await TryUntil(condition, limit))
        {
            throw new TimeoutException(Failure(awaited, limit, lastSeen));
        }
    }

    /// <inheritdoc cref="Until(Func{Task{bool}}, string, Func{string}?, TimeSpan?)"/>
    public static Task Until(Func<bool> condition, string awaited, Func<string>? lastSeen = null, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), awaited, lastSeen, timeout);

    /// <summary>Polls <paramref name="probe"/> until it finds something, and returns that.</summary>
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string awaited, Func<string>? lastSeen = null, TimeSpan? timeout = null)
        where T : class
    {
        T? found = default;
        await Until(async () => (found = await probe()) is not null, awaited, lastSeen, timeout);
        return found!;
    }

    /// <inheritdoc cref="Value{T}(Func{Task{T}}, string, Func{string}?, TimeSpan?)"/>
    public static Task<T> Value<T>(Func<T?> probe, string awaited, Func<string>? lastSeen = null, TimeSpan? timeout = null)
        where T : class =>
        Value(() => Task.FromResult(probe()), awaited, lastSeen, timeout);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds (true) or the time is up (false), for a test whose own
    /// assertions, made next, say best what is missing.
    /// </summary>
    public static async Task<bool> TryUntil(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!await condition())
        {
            if (elapsed.Elapsed > limit)
            {
                return false;
            }

            // Not a wait for the effect: the pause between two looks at it.
            await Task.Delay(Interval);
        }

        return true;
    }

    /// <inheritdoc cref="TryUntil(Func{Task{bool}}, TimeSpan?)"/>
    public static Task<bool> TryUntil(Func<bool> condition, TimeSpan? timeout = null) => TryUntil(() => Task.FromResult(condition()), timeout);

    /// <summary>
    /// Moves fake time forward by <paramref name="step"/> at a time until <paramref name="condition"/> holds, letting
    /// the code under test run between steps; false when more than <paramref name="limit"/> of fake time passed
    /// without it (the clock stops within one step past the limit).
    /// Between steps it gives the code a moment of real time, cut short when <paramref name="done"/> completes:
    /// code woken by the clock has no event to await, so a fake clock can only be pumped this way.
    /// </summary>
    public static async Task<bool> UntilOnClock(FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan limit, Task? done = null)
    {
        var advanced = TimeSpan.Zero;
        while (true)
        {
            var pause = Task.Delay(Interval);
            await (done is null ? pause : Task.WhenAny(done, pause));
            if (condition())
            {
                return true;
            }

            if (advanced > limit)
            {
                return false;
            }

            time.Advance(step);
            advanced += step;
        }
    }

    private static string Failure(string awaited, TimeSpan limit, Func<string>? lastSeen)
    {
        var seen = lastSeen is null ? "" : $" Last seen: {lastSeen()}";
        return $"Waited {limit.TotalSeconds:0.#} s for {awaited}, in vain.{seen}";
    }
}
