using IncidentBot.Sandbox.Page;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IncidentBot.Sandbox;

/// <summary>Runs the bot in the sandbox (the page at /) or the demo replay, against the embedded fake Slack.</summary>
public static partial class SandboxLauncher
{
    public const string DefaultUrl = "http://localhost:5000";

    /// <summary>Starts the fake Slack and points the bot's configuration at it; null with a reason when it may not run.</summary>
    public static async Task<(SandboxHost? Host, string? Problem)> PrepareAsync(WebApplicationBuilder builder, string[] args)
    {
        var demo = IsDemo(args);
        var urls = demo ? ["http://127.0.0.1:0"] : (builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (SandboxMode.CheckLoopbackOnly(urls) is { } problem)
        {
            return (null, problem);
        }

        TimeProvider clock = demo ? new ReplayClock() : TimeProvider.System;
        var host = await SandboxHost.StartAsync(clock);
        builder.WebHost.UseUrls(urls);
        builder.Configuration.AddInMemoryCollection(host.Settings);
        if (demo)
        {
            // The seed incident is told in the channel where it was declared, pins on earlier messages included; the
            // demo's own lines are its output, so the logs say only what went wrong.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Incidents:CreateChannel"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
        }

        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(host);
        builder.Services.AddSingleton(host.Slack);
        builder.Services.AddSandboxPage();
        builder.Services.AddSingleton<DemoRun>();
        return (host, null);
    }

    /// <summary>Starts the bot, connects the fake Slack to it, then serves the sandbox until stopped, or plays the demo.</summary>
    public static async Task<int> RunAsync(WebApplication app, SandboxHost host, string[] args)
    {
        var address = await StartAsync(app, host);
        if (IsDemo(args))
        {
            var exitCode = await app.Services.GetRequiredService<DemoRun>().RunAsync(Console.Out, CancellationToken.None);
            await app.StopAsync();
            return exitCode;
        }

        Log.SandboxReady(app.Logger, new Uri(address, "/"));
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Adds the page at / (sandbox runs only), starts the bot and connects the fake Slack to it; returns where it listens.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, SandboxHost host)
    {
        app.MapSandboxPage();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        host.ConnectBot(address);
        return address;
    }

    private static bool IsDemo(string[] args) => args.Contains(SandboxMode.DemoCommand, StringComparer.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Sandbox mode: no Slack credentials are set, so IncidentBot runs against its built-in fake Slack. Open {Url} to try it. (Set Slack__BotToken and Slack__SigningSecret to use your workspace; see README.md.)")]
        public static partial void SandboxReady(ILogger logger, Uri url);
    }
}
