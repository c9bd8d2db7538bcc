using IncidentBot.Timeline;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The in-process drains of capture reactions (shared job storage: PostgreSQL), which run on their own rather than as
/// jobs a test runs: settling waits for them as it runs the jobs.
/// </summary>
public static class CaptureDrainers
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits until no drain runs or waits to start in any of the hosts; 1 when one had to be waited for, else 0.</summary>
    public static async Task<int> WhenIdleAsync(IEnumerable<IServiceProvider> hosts)
    {
        var drainers = hosts.Select(h => h.GetRequiredService<CaptureAcknowledgementDrainer>()).ToList();
        if (drainers.All(d => d.IsIdle))
        {
            return 0;
        }

        var deadline = DateTime.UtcNow + Patience;
        while (!drainers.All(d => d.IsIdle))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"A drain of capture reactions was still running after {Patience.TotalSeconds:0} s.");
            }

            await Task.Delay(10);
        }

        return 1;
    }
}
