using IncidentBot.Slack.WebApi;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Slack.WebApi;

public sealed class ChannelPostPacerTests
{
    [Fact]
    public async Task A_short_burst_goes_at_once_then_one_a_second_per_channel()
    {
        var time = Clock.AtSeedIncident();
        var pacer = new ChannelPostPacer(time);

        var turns = Enumerable.Range(0, ChannelPostPacer.Burst + 2).Select(_ => pacer.WaitTurnAsync("C1", CancellationToken.None)).ToList();
        var elsewhere = pacer.WaitTurnAsync("C2", CancellationToken.None);

        Assert.All(turns.Take(ChannelPostPacer.Burst), t => Assert.True(t.IsCompletedSuccessfully));
        Assert.True(elsewhere.IsCompletedSuccessfully);
        Assert.False(turns[^2].IsCompleted);
        time.Advance(ChannelPostPacer.Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(turns[^2].IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await turns[^2].WaitAsync(Eventually.DefaultTimeout);
        Assert.False(turns[^1].IsCompleted);
        time.Advance(ChannelPostPacer.Interval);
        await turns[^1].WaitAsync(Eventually.DefaultTimeout);

        // A channel left alone long enough has its burst back.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.All(Enumerable.Range(0, ChannelPostPacer.Burst).Select(_ => pacer.WaitTurnAsync("C1", CancellationToken.None)), t => Assert.True(t.IsCompletedSuccessfully));
    }
}
