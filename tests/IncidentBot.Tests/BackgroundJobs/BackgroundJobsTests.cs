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
        await using var bot = await BotHost.StartAsync(new BotHostOptions
        {
            Settings = { ["BackgroundJobs:ServerEnabled"] = "true" },
            ManualJobs = false,
            ConfigureServices = services => services.AddSingleton(done).AddScoped<ProbeJob>(),
        });

        bot.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(42, CancellationToken.None));

        Assert.Equal(42, await done.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Each_host_has_its_own_job_storage_so_it_never_runs_another_hosts_jobs()
    {
        var doneA = new ProbeJob.Completion();
        var doneB = new ProbeJob.Completion();
        await using var withoutServer = await BotHost.StartAsync(new BotHostOptions
        {
            ManualJobs = false,
            ConfigureServices = services => services.AddSingleton(doneB).AddScoped<ProbeJob>(),
        });
        await using var withServer = await BotHost.StartAsync(new BotHostOptions
        {
            Settings = { ["BackgroundJobs:ServerEnabled"] = "true" },
            ManualJobs = false,
            ConfigureServices = services => services.AddSingleton(doneA).AddScoped<ProbeJob>(),
        });

        // Queued first: with a shared queue, the only server would take this one first.
        withoutServer.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(99, CancellationToken.None));
        withServer.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(job => job.RunAsync(42, CancellationToken.None));

        Assert.Equal(42, await doneA.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(doneB.Task.IsCompleted);
        Assert.NotSame(withServer.Services.GetRequiredService<JobStorage>(), withoutServer.Services.GetRequiredService<JobStorage>());
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

        using var response = await bot.Http.GetAsync("jobs");

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

        using var anonymous = await bot.Http.GetAsync("jobs");
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
        return bot.Http.SendAsync(request);
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
