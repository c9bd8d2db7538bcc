using IncidentBot.Storage;

namespace IncidentBot.Tests.Data;

public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task A_write_starts_only_after_the_one_before_it_finished_even_when_that_one_failed()
    {
        var gate = new SqliteWriteGate();
        var firstMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();

        var first = gate.RunAsync<int>(async () =>
        {
            order.Add("first started");
            await firstMayFinish.Task;
            order.Add("first failed");
            throw new InvalidOperationException("constraint");
        }, CancellationToken.None);
        var second = gate.RunAsync(() =>
        {
            order.Add("second started");
            return Task.FromResult(2);
        }, CancellationToken.None);
        // The delay is the subject, not a wait for an effect: a correct gate gives the second write nothing to wait
        // for, so what is shown is that it did not run in the 50 ms a gate that let it through would have used.
        await Task.Delay(50);
        var secondWaited = !second.IsCompleted;
        firstMayFinish.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.Equal(2, await second);
        Assert.True(secondWaited);
        Assert.Equal(["first started", "first failed", "second started"], order);
    }

    [Fact]
    public async Task A_write_that_gives_up_waiting_never_runs()
    {
        var gate = new SqliteWriteGate();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(() => release.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var ran = false;

        var waiting = gate.RunAsync(() => { ran = true; return Task.FromResult(0); }, cancel.Token);
        await cancel.CancelAsync();

        // Released only once the waiter has given up: a release racing the cancellation may hand it the turn.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult(1);
        Assert.Equal(1, await holding);
        Assert.False(ran);
        Assert.Equal(2, await gate.RunAsync(() => Task.FromResult(2), CancellationToken.None));
    }
}
