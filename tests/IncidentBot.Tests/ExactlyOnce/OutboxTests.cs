using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.ExactlyOnce;

/// <summary>The outbox's own promises, against the bot's real database.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(new BotHostOptions());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Two_attempts_at_one_write_never_run_at_once_the_second_takes_the_firsts_outcome_and_a_sent_write_is_never_made_again()
    {
        // Arrange: the first attempt is under way (Slack has not answered yet).
        var writes = 0;
        var slack = new TaskCompletionSource();
        await using var first = _bot.Services.CreateAsyncScope();
        var running = first.ServiceProvider.GetRequiredService<Outbox>().OnceAsync("test/1/post", async (_, _) =>
        {
            Interlocked.Increment(ref writes);
            await slack.Task;
            return new OutboxResult("C1", "1500000000.000100");
        }, CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref writes) == 1, "the first attempt to start writing");

        // Act: a second run (a retry racing the sweep's re-queue) tries the same write meanwhile; it waits, and does
        // not write, until the first lands; a third run later finds it sent.
        await using var second = _bot.Services.CreateAsyncScope();
        var waiting = OnceAsync(second, () => Interlocked.Increment(ref writes));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // What is tested: that nothing happens while the first runs.
        var waitedForTheFirst = !waiting.IsCompleted;
        slack.SetResult();
        var landed = await running;
        var sameAsTheFirst = await waiting;
        await using var third = _bot.Services.CreateAsyncScope();
        var again = await OnceAsync(third, () => Interlocked.Increment(ref writes));

        // Assert
        Assert.True(waitedForTheFirst);
        Assert.Equal(1, writes);
        Assert.Equal(landed, sameAsTheFirst);
        Assert.Equal(landed, again);
    }

    [Fact]
    public async Task A_write_that_failed_is_tried_again_at_once_and_told_an_earlier_attempt_may_have_landed()
    {
        await using var first = _bot.Services.CreateAsyncScope();
        await Assert.ThrowsAsync<TimeoutException>(() => first.ServiceProvider.GetRequiredService<Outbox>()
            .OnceAsync("test/2/post", (_, _) => throw new TimeoutException("Slack did not answer"), CancellationToken.None));

        OutboxAttempt? retried = null;
        await using var second = _bot.Services.CreateAsyncScope();
        await second.ServiceProvider.GetRequiredService<Outbox>().OnceAsync("test/2/post", (attempt, _) =>
        {
            retried = attempt;
            return Task.FromResult(new OutboxResult("C1", "1500000000.000200"));
        }, CancellationToken.None);

        Assert.True(retried!.MayHaveLanded);
    }

    private static Task<OutboxResult> OnceAsync(AsyncServiceScope scope, Action write) =>
        scope.ServiceProvider.GetRequiredService<Outbox>().OnceAsync("test/1/post", (_, _) =>
        {
            write();
            return Task.FromResult(new OutboxResult("C1", "other"));
        }, CancellationToken.None);
}
