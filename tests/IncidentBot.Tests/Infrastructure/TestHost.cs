using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The one start-up of an in-process web host for tests: built, started on a free loopback port, reached over HTTP,
/// stopped and disposed with whatever runs alongside it. The bot is built as Program.cs builds it
/// (<see cref="CreateBotBuilder"/>, <see cref="BuildBot"/>): <see cref="BotHost"/> with test settings, the sandbox
/// with its own fake Slack (<c>SandboxRun</c>); a stand-in for the bot starts from <see cref="CreateEmptyBuilder"/>
/// (<c>RecordingBot</c>). The bot as a separate process is <see cref="BotProcess"/>, on the same settings.
/// </summary>
public abstract class TestHost : IAsyncDisposable
{
    /// <summary>Any free port, on this machine only.</summary>
    public const string LoopbackUrl = "http://127.0.0.1:0";

    private readonly IAsyncDisposable? _alongside;
    private HttpClient? _http;
    private HttpClient? _management;

    protected TestHost(WebApplication app, IAsyncDisposable? alongside = null)
    {
        App = app;
        _alongside = alongside;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http => _http ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>The management port (metrics, drafts, the jobs dashboard, health details), when the host has one.</summary>
    public HttpClient Management => _management ?? throw new InvalidOperationException("The host has no management port.");

    public IServiceProvider Services => App.Services;

    protected WebApplication App { get; }

    /// <summary>
    /// The builder Program.cs makes (its content root, the bot's application name), in the Testing environment and
    /// with no log providers: a test that reads logs passes its own.
    /// </summary>
    public static WebApplicationBuilder CreateBotBuilder(ILoggerProvider? logs = null, string environment = "Testing")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        return builder;
    }

    /// <summary>
    /// The bot's registrations and routes, as Program.cs adds them, on a builder a test has configured;
    /// <paramref name="overrides"/> registers after the bot's own, so what it adds wins.
    /// </summary>
    public static WebApplication BuildBot(WebApplicationBuilder builder, Action<IServiceCollection>? overrides = null)
    {
        builder.AddIncidentBot();
        overrides?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapIncidentBot();
        return app;
    }

    /// <summary>What the bot reports at start for <paramref name="settings"/> alone (no appsettings.json, no environment variables), without starting it.</summary>
    public static IReadOnlyList<string> StartupProblemsWith(IEnumerable<KeyValuePair<string, string?>> settings, string environment = "Testing")
    {
        var builder = CreateBotBuilder(environment: environment);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIncidentBot();
        using var app = builder.Build();
        return StartupProblems.Find(app.Services);
    }

    /// <summary>The least the bot needs to start (a bot token, a signing secret, a channel for drafts), with <paramref name="changes"/> on top.</summary>
    public static Dictionary<string, string?> MinimalSettings(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Slack:BotToken"] = "xoxb-1",
            ["Slack:SigningSecret"] = "s",
            ["Incidents:PostmortemChannel"] = "C1",
        };
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A bare Kestrel on loopback, for a stand-in that answers every request itself.</summary>
    public static WebApplicationBuilder CreateEmptyBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        _management?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_alongside is not null)
        {
            await _alongside.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the app (or has <paramref name="start"/> start it) and learns the port it listens on.</summary>
    protected async Task ListenAsync(Func<WebApplication, Task>? start = null)
    {
        await (start is null ? App.StartAsync() : start(App));
        // The server's addresses, with the port it was given in place of 0; the management port's apart.
        // A stand-in built on an empty builder has no management port.
        var management = App.Services.GetService<IncidentBot.Management.ManagementPorts>();
        var ports = App.Services.GetService<Microsoft.Extensions.Options.IOptions<IncidentBot.Management.ManagementOptions>>()?.Value.Urls?
            .Split(';', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u).Port).ToHashSet() ?? [];
        var address = App.Urls.First(u => !ports.Contains(new Uri(u.Replace("*", "localhost", StringComparison.Ordinal)).Port));
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        _http = new HttpClient { BaseAddress = BaseUrl };
        if (management is { Enabled: true } && App.Urls.FirstOrDefault(u => ports.Contains(new Uri(u).Port)) is { } managementUrl)
        {
            _management = new HttpClient { BaseAddress = new Uri(managementUrl.TrimEnd('/') + "/") };
        }
    }
}
