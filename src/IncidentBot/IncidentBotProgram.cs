using IncidentBot.Storage;

namespace IncidentBot;

/// <summary>Builds the bot, refuses settings it cannot run with (exit code 78, saying what to set), and runs it.</summary>
public static partial class IncidentBotProgram
{
    /// <param name="run">What to do once built (the sandbox starts its fake Slack too); by default, serve until stopped.</param>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Func<WebApplication, Task<int>>? run = null)
    {
        builder.AddIncidentBot();
        // Disposed on the way out, so Hangfire's server is shut down by the host rather than by the process exiting
        // (which it reports with a warning).
        await using var app = builder.Build();

        // A missing setting is the most common first-run problem: say exactly what to set, without a stack trace.
        if (StartupProblems.Find(app.Services) is { Count: > 0 } problems)
        {
            return StartupProblems.Report(problems, Console.Error);
        }

        // Before anything touches the database: a second bot on the same file is refused here, by name, rather than
        // as a failed start with a stack trace (the migrator takes the same lock for hosts started otherwise).
        if (app.Services.GetRequiredService<DatabaseFileLock>().TryAcquire() is { } inUse)
        {
            return StartupProblems.Report([inUse], Console.Error);
        }

        app.MapIncidentBot();
        // The first line an operator reads after a deploy says which build is running (the ready details say it too).
        Log.Starting(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IncidentBot"), Management.HealthEndpoints.Version, app.Environment.EnvironmentName);
        try
        {
            return run is null ? await ServeAsync(app) : await run(app);
        }
        catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return StartupProblems.Report([$"{exception.Message} Set ASPNETCORE_URLS (e.g. http://127.0.0.1:8080) to a free address."], Console.Error);
        }
    }

    private static async Task<int> ServeAsync(WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "IncidentBot {Version} starting in {Environment}")]
        public static partial void Starting(ILogger logger, string version, string environment);
    }
}
