using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using IncidentBot.Storage;
using IncidentBot.BackgroundJobs.Failover;
using IncidentBot.BackgroundJobs.Sweep;
using Microsoft.Extensions.Options;

namespace IncidentBot.BackgroundJobs;

public static class BackgroundJobsServiceCollectionExtensions
{
    /// <summary>Hangfire with the configured storage and, unless switched off, a server in this process.</summary>
    public static IServiceCollection AddBackgroundJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackgroundJobsOptions>().BindConfiguration(BackgroundJobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BackgroundJobsOptions>, BackgroundJobsOptionsValidator>();

        // The storage belongs to this container. Hangfire would otherwise hand out its static JobStorage.Current, so
        // two hosts in one process (the tests) could share a queue and run each other's jobs.
        services.AddSingleton<JobStorage>(provider => CreateStorage(provider.GetRequiredService<IOptions<BackgroundJobsOptions>>().Value, provider.GetRequiredService<DatabaseLocation>(), provider.GetRequiredService<ReplicaLocks>()));
        // Likewise the activator: Hangfire's default hands the server the process-wide JobActivator.Current, which the
        // last host to configure Hangfire has set, so a worker could build its job from another host's container (seen
        // in the tests as a job that "succeeded" against the wrong database and Slack).
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<JobStorage>()));

        services.AddHostedService<RecurringJobsRegistrar>();

        // The sweep: every capability's unfinished work, queued again when nothing else will run it.
        services.AddRecurringJob<SweepUnfinishedWorkJob>("sweep-unfinished-work", job => job.RunAsync(false, CancellationToken.None), Cron.Minutely());
        services.AddHostedService<SweepAtStart>();
        services.AddSingleton<IJobsInFlight, HangfireJobsInFlight>();
        // Owed work is not a reason to restart the bot: this check is at worst Degraded, even when it cannot read.
        services.AddHealthChecks().AddCheck<UnfinishedWorkHealthCheck>("unfinished-work", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);

        var options = configuration.GetSection(BackgroundJobsOptions.Section).Get<BackgroundJobsOptions>() ?? new BackgroundJobsOptions();
        if (options.ServerEnabled)
        {
            var shared = JobStorageKinds.IsShared(options.Storage, DatabaseLocation.From(configuration));
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                if (shared)
                {
                    SharedJobStorage.Configure(server);
                }
            });
            if (shared)
            {
                // Other replicas' servers may die with a job in hand: this one takes its turn at queueing it again.
                services.AddHostedService<RequeueJobsOfDeadServers>();
            }
        }

        return services;
    }

    private static JobStorage CreateStorage(BackgroundJobsOptions options, DatabaseLocation location, ReplicaLocks locks)
    {
        // In a class of its own: a bot on the in-memory storage never loads Hangfire.PostgreSql or Npgsql (issue 14).
        if (JobStorageKinds.Effective(options.Storage, location) == JobStorageKinds.PostgreSql)
        {
            return SharedJobStorage.Create(location.ConnectionString, locks);
        }

        return new InMemoryStorage(new InMemoryStorageOptions
        {
            // Job arguments are ids, never objects: small, and the job re-reads the truth from the database.
            IdType = InMemoryStorageIdType.Long,
        });
    }

    /// <summary>A job Hangfire runs on a schedule (a cron expression, UTC), declared by the capability that owns it.</summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, Expression<Func<TJob, Task>> run, string cron) =>
        services.AddSingleton(new RecurringJobDeclaration(id, Job.FromExpression(run), cron));

    /// <summary>A capability's answer to "what of mine is unfinished?", asked by the sweep.</summary>
    public static IServiceCollection AddUnfinishedWork<TSource>(this IServiceCollection services)
        where TSource : class, IUnfinishedWork =>
        services.AddScoped<IUnfinishedWork, TSource>();

    /// <summary>The dashboard, only when configured, and then only behind Basic authentication.</summary>
    public static WebApplication MapBackgroundJobsDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BackgroundJobsOptions>>().Value;
        if (options.Dashboard.Enabled)
        {
            app.UseHangfireDashboard(options.Dashboard.Path, new DashboardOptions
            {
                Authorization = [new BasicAuthDashboardFilter(options.Dashboard.Username!, options.Dashboard.Password!)],
                DisplayStorageConnectionString = false,
            });
        }

        return app;
    }
}
