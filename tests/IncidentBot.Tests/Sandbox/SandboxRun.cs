using IncidentBot.Sandbox;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Tests.Sandbox;

/// <summary>The sandbox as <c>dotnet run</c> starts it without credentials (SandboxLauncher), but in-process on a free loopback port.</summary>
public sealed class SandboxRun : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxHost _host;
    private readonly CapturingLoggerProvider _logs;

    private SandboxRun(WebApplication app, SandboxHost host, Uri baseUrl, CapturingLoggerProvider logs)
    {
        _logs = logs;
        _app = app;
        _host = host;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public FakeSlackServer Slack => _host.Slack;

    /// <summary>The bot's warnings and errors, for a failing test to show.</summary>
    public IEnumerable<string> Problems => _logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal));

    /// <summary>What the bot's jobs are doing, for a test that waited in vain.</summary>
    public string JobsReport => Infrastructure.JobsReport.Describe(_app.Services);

    public static async Task<SandboxRun> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
        var (host, problem) = await SandboxLauncher.PrepareAsync(builder, []);
        Assert.True(problem is null, problem);
        builder.AddIncidentBot();
        var app = builder.Build();
        app.MapIncidentBot();
        var address = await SandboxLauncher.StartAsync(app, host!);
        return new SandboxRun(app, host!, new Uri(address.ToString().TrimEnd('/') + "/"), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _host.DisposeAsync();
    }
}
