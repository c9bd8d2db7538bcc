using IncidentBot.Slack;
using IncidentBot.Slack.Handling;
using IncidentBot.SlackFake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The real bot, built exactly as Program.cs builds it, listening on a free loopback port, so tests talk to it over
/// HTTP. Tests add settings, handlers or a controlled clock through <see cref="BotHostOptions"/>.
/// </summary>
public sealed class BotHost : TestHost
{
    private BotHost(WebApplication app)
        : base(app)
    {
    }

    /// <summary>The deterministic job runner (when <see cref="BotHostOptions.ManualJobs"/> is on).</summary>
    public ManualJobs Jobs => Services.GetRequiredService<ManualJobs>();

    public static async Task<BotHost> StartAsync(BotHostOptions options)
    {
        var builder = CreateBotBuilder();
        builder.WebHost.UseUrls(LoopbackUrl);
        // Tests run jobs themselves, deterministically, unless a test turns the server on.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BackgroundJobs:ServerEnabled"] = "false" });
        builder.Configuration.AddInMemoryCollection(options.Configuration());

        var app = BuildBot(builder, services =>
        {
            if (options.Time is not null)
            {
                services.AddSingleton(options.Time);
            }

            if (options.ManualJobs)
            {
                services.AddSingleton<ManualJobs>();
                services.AddSingleton<Hangfire.IBackgroundJobClient>(sp => sp.GetRequiredService<ManualJobs>());
                services.AddSingleton<IncidentBot.BackgroundJobs.Sweep.IJobsInFlight>(sp => sp.GetRequiredService<ManualJobs>());
            }

            options.ConfigureServices?.Invoke(services);
            options.ConfigureSlack?.Invoke(services.AddSlack());
        });
        var bot = new BotHost(app);
        await bot.ListenAsync();
        return bot;
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

    /// <summary>A free loopback port for the management side (it must be fixed: the bot tells its ports apart by number).</summary>
    public int ManagementPort { get; init; } = FreePort();

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port below the kernel's ephemeral range (where port-0 listeners and outgoing connections take theirs), never
    /// handed out twice in this run, and free when asked.
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            while (true)
            {
                var port = Random.Shared.Next(20000, 30000);
                if (!HandedOut.Add(port))
                {
                    continue;
                }

                try
                {
                    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (System.Net.Sockets.SocketException)
                {
                }
            }
        }
    }

    /// <summary>The bot's side of <paramref name="slack"/>: its tokens, its signing secret, its Web API; over Socket Mode with the app token.</summary>
    public static BotHostOptions ConnectedTo(FakeSlackServer slack, BotTransport transport = BotTransport.Http) => new()
    {
        BotToken = slack.Options.BotToken,
        SigningSecret = slack.Options.SigningSecret,
        AppToken = transport == BotTransport.SocketMode ? slack.Options.AppToken : null,
        SlackApiBaseUrl = slack.ApiBaseUrl,
    };

    /// <summary>
    /// The bot's settings as configuration keys, <see cref="Settings"/> last: what <see cref="BotHost"/> adds in
    /// memory and <see cref="BotProcess"/> passes as environment variables.
    /// </summary>
    public Dictionary<string, string?> Configuration()
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:AppToken"] = AppToken,
            ["Slack:ApiBaseUrl"] = SlackApiBaseUrl?.ToString() ?? "http://127.0.0.1:9/api/",
            ["Incidents:PostmortemChannel"] = "C0POSTMORTEMS",
            ["ConnectionStrings:IncidentBot"] = $"Data Source={DatabasePath}",
            // Operators' routes (drafts, the jobs dashboard, metrics) live on their own port, as in production.
            ["Management:Urls"] = $"http://127.0.0.1:{ManagementPort}",
        };
        foreach (var (key, value) in Settings)
        {
            configuration[key] = value;
        }

        return configuration;
    }

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
