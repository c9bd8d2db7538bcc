using System.Globalization;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.ExactlyOnce;

/// <summary>The sweep's one message in the incident channel about work that keeps failing, posted once through the outbox.</summary>
internal sealed class StuckWorkNoticeInChannel(Outbox outbox) : IStuckWorkNotice
{
    public Task TellAsync(UnfinishedItem item, int attempts, CancellationToken cancellationToken) =>
        outbox.PostOnceAsync(
            $"sweep/{item.Key}/stuck",
            new PostMessageRequest
            {
                Channel = item.ChannelId!,
                Text = string.Create(CultureInfo.InvariantCulture,
                    $":warning: I keep failing at {item.Description} (tried {attempts} times). Nothing is lost: I keep trying, less often. An admin can find why in my log."),
            },
            cancellationToken);
}
