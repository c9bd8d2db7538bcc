using Hangfire;
using Hangfire.Common;

namespace IncidentBot.BackgroundJobs;

/// <summary>A recurring job a capability declared with <see cref="BackgroundJobsServiceCollectionExtensions.AddRecurringJob{TJob}"/>.</summary>
public sealed record RecurringJobDeclaration(string Id, Job Job, string Cron);

/// <summary>The one place recurring jobs are handed to Hangfire (STYLE.md convention 7); each capability declares its own.</summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager recurring, IEnumerable<RecurringJobDeclaration> declarations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var declaration in declarations)
        {
            recurring.AddOrUpdate(declaration.Id, declaration.Job, declaration.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
