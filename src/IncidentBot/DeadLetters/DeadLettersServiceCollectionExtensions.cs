using IncidentBot.BackgroundJobs;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.DeadLetters;

public static class DeadLettersServiceCollectionExtensions
{
    /// <summary>Dead letters: Slack events that kept failing, kept, shown on the health report, and replayed by the sweep.</summary>
    public static IServiceCollection AddDeadLetters(this IServiceCollection services)
    {
        services.AddScoped<IDeadLetterBox, DeadLetterStore>();
        services.AddUnfinishedWork<DeadLettersUnfinishedWork>();
        // Waiting events are not a reason to restart the bot: at worst Degraded, even when the table cannot be read.
        services.AddHealthChecks().AddCheck<DeadLettersHealthCheck>("dead-letters", failureStatus: HealthStatus.Degraded);
        return services;
    }
}
