using IncidentBot.Slack;
using IncidentBot.Slack.Handling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The real bot, built exactly as Program.cs builds it, listening on a free loopback port, so tests talk to it over
/// HTTP. Tests add settings, handlers or a controlled clock through <see cref="BotHostOptions"/>.
/// </summary>
public sealed class BotHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BotHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The deterministic job runner (when <see cref="BotHostOptions.ManualJobs"/> is on).</summary>
    public ManualJobs Jobs => _app.Services.GetRequiredService<ManualJobs>();

    public static async Task<BotHost> StartAsync(BotHostOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = options.BotToken,
            ["Slack:SigningSecret"] = options.SigningSecret,
            ["Slack:AppToken"] = options.AppToken,
            ["Slack:ApiBaseUrl"] = options.SlackApiBaseUrl?.ToString() ?? "http://127.0.0.1:9/api/",
            ["Incidents:PostmortemChannel"] = "C0POSTMORTEMS",
            // Tests run jobs themselves, deterministically, unless a test turns the server on.
            ["BackgroundJobs:ServerEnabled"] = "false",
            ["ConnectionStrings:IncidentBot"] = $"Data Source={options.DatabasePath}",
        });
        builder.Configuration.AddInMemoryCollection(options.Settings);

        builder.AddIncidentBot();
        if (options.Time is not null)
        {
            builder.Services.AddSingleton(options.Time);
        }

        if (options.ManualJobs)
        {
            builder.Services.AddSingleton<ManualJobs>();
            builder.Services.AddSingleton<Hangfire.IBackgroundJobClient>(sp => sp.GetRequiredService<ManualJobs>());
            builder.Services.AddSingleton<IncidentBot.BackgroundJobs.Sweep.IJobsInFlight>(sp => sp.GetRequiredService<ManualJobs>());
        }

        options.ConfigureServices?.Invoke(builder.Services);
        options.ConfigureSlack?.Invoke(builder.Services.AddSlack());

        var app = builder.Build();
        app.MapIncidentBot();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BotHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record BotHostOptions
{
    public string BotToken { get; init; } = "xoxb-test-token";
    public string SigningSecret { get; init; } = "test-signing-secret";

    /// <summary>Set to run in Socket Mode (the bot then connects to the fake's apps.connections.open).</summary>
    public string? AppToken { get; init; }
    public Uri? SlackApiBaseUrl { get; init; }
    public TimeProvider? Time { get; init; }
    public Dictionary<string, string?> Settings { get; init; } = [];
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    public Action<SlackBuilder>? ConfigureSlack { get; init; }

    /// <summary>A fresh SQLite file per host unless a test shares one (to restart the bot on the same data).</summary>
    public string DatabasePath { get; init; } = TestDatabase.NewPath();

    /// <summary>Incidents live in the channel where they are declared (<c>Incidents:CreateChannel=false</c>).</summary>
    public BotHostOptions InDeclaringChannel()
    {
        Settings["Incidents:CreateChannel"] = "false";
        return this;
    }

    /// <summary>Jobs wait in <see cref="Infrastructure.ManualJobs"/> until the test runs them.</summary>
    public bool ManualJobs { get; init; } = true;
}

public static class TestDatabase
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("incidentbot-tests-").FullName;

    public static string NewPath() => Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db");
}
