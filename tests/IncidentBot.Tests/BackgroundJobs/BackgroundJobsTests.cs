using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.BackgroundJobs;

public sealed class BackgroundJobsTests
{
    [Fact]
    public async Task A_job_enqueued_by_id_runs_on_the_in_process_server_in_its_own_scope()
    {
        var done = new ProbeJob.Completion();
        await using var bot = await StartWithProbeAsync(done, server: true);

        var id = bot.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(42, CancellationToken.None));

        Assert.Equal(42, await WaitAsync(bot, done, id));
    }

    /// <summary>A host that runs jobs only if told to, whose <see cref="ProbeJob"/> reports to <paramref name="done"/>.</summary>
    private static Task<BotHost> StartWithProbeAsync(ProbeJob.Completion done, bool server = false) => BotHost.StartAsync(new BotHostOptions
    {
        Settings = { ["BackgroundJobs:ServerEnabled"] = server ? "true" : "false" },
        ManualJobs = false,
        ConfigureServices = services => services.AddSingleton(done).AddScoped<ProbeJob>(),
    });

    /// <summary>The job's result; when it never comes, what Hangfire knows of it and of its servers.</summary>
    private static async Task<int> WaitAsync(BotHost bot, ProbeJob.Completion done, string id)
    {
        try
        {
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Job {id} did not run within 30 s. {JobsReport.Describe(bot.Services)}");
        }
    }

    [Fact]
    public async Task Each_host_has_its_own_job_storage_so_it_never_runs_another_hosts_jobs()
    {
        var doneA = new ProbeJob.Completion();
        var doneB = new ProbeJob.Completion();
        await using var withoutServer = await StartWithProbeAsync(doneB);
        await using var withServer = await StartWithProbeAsync(doneA, server: true);

        // Queued first: with a shared queue, the only server would take this one first.
        withoutServer.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(99, CancellationToken.None));
        var id = withServer.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(42, CancellationToken.None));

        Assert.Equal(42, await WaitAsync(withServer, doneA, id));
        Assert.False(doneB.Task.IsCompleted);
        Assert.NotSame(withServer.Services.GetRequiredService<JobStorage>(), withoutServer.Services.GetRequiredService<JobStorage>());
    }

    [Fact]
    public async Task Each_host_builds_its_jobs_from_its_own_services_even_after_another_host_configured_hangfire()
    {
        var doneA = new ProbeJob.Completion();
        var doneB = new ProbeJob.Completion();
        await using var first = await StartWithProbeAsync(doneA);
        await using var second = await StartWithProbeAsync(doneB);
        // Hangfire's configuration is process-wide: the second host configuring it last is what a server of the
        // first host, started later or restarted, would otherwise pick its activator from.
        _ = second.Services.GetRequiredService<IGlobalConfiguration>();

        var storage = first.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var job = new Hangfire.Common.Job(typeof(ProbeJob), typeof(ProbeJob).GetMethod(nameof(ProbeJob.RunAsync))!, 7, CancellationToken.None);
        var context = new JobActivatorContext(connection, new BackgroundJob("1", job, DateTime.UtcNow), new JobCancellationToken(false));
        using (var scope = first.Services.GetRequiredService<JobActivator>().BeginScope(context))
        {
            await ((ProbeJob)scope.Resolve(typeof(ProbeJob))).RunAsync(7, CancellationToken.None);
        }

        Assert.False(doneB.Task.IsCompleted, "The job was built from the other host's services.");
        Assert.Equal(7, await doneA.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_host_still_enqueues_after_another_host_in_the_process_was_disposed()
    {
        await using var survivor = await BotHost.StartAsync(new BotHostOptions { ManualJobs = false });
        var gone = await BotHost.StartAsync(new BotHostOptions { ManualJobs = false });
        // Configured last, the gone host's logger factory is the one Hangfire's process-wide log provider was handed.
        _ = gone.Services.GetRequiredService<IBackgroundJobClient>();
        await gone.DisposeAsync();

        // A job type used nowhere else, so Hangfire reads (and logs while creating) its retry attribute now.
        var id = survivor.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<NeverRunJob>(job => job.RunAsync(CancellationToken.None));

        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task Dashboard_is_off_by_default()
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions());

        using var response = await bot.Management.GetAsync("jobs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_when_enabled_requires_its_credentials()
    {
        await using var bot = await BotHost.StartAsync(new BotHostOptions
        {
            Settings =
            {
                ["BackgroundJobs:Dashboard:Enabled"] = "true",
                ["BackgroundJobs:Dashboard:Username"] = "ops",
                ["BackgroundJobs:Dashboard:Password"] = "correct horse battery",
            },
        });

        using var anonymous = await bot.Management.GetAsync("jobs");
        using var wrong = await Get(bot, "ops:wrong password");
        using var right = await Get(bot, "ops:correct horse battery");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private static Task<HttpResponseMessage> Get(BotHost bot, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return bot.Management.SendAsync(request);
    }

    public sealed class NeverRunJob
    {
        [AutomaticRetry(Attempts = 3)]
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public sealed class ProbeJob(ProbeJob.Completion completion)
    {
        [AutomaticRetry(Attempts = 0)]
        public Task RunAsync(int id, CancellationToken cancellationToken)
        {
            completion.TrySetResult(id);
            return Task.CompletedTask;
        }

        public sealed class Completion : TaskCompletionSource<int>;
    }
}
