using IncidentBot;
using IncidentBot.Sandbox;

// The content root is the output folder, where the repo's one appsettings.json is linked: `dotnet run` would
// otherwise root it at src/IncidentBot, where there is no settings file to read.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// No Slack credentials (or `demo`): the same bot against the built-in fake Slack.
if (SandboxMode.Decide(builder.Configuration, args, out var useSandbox) is { } refused)
{
    return StartupProblems.Report([refused], Console.Error);
}

var (sandbox, sandboxProblem) = useSandbox ? await SandboxLauncher.PrepareAsync(builder, args) : (null, null);
if (sandboxProblem is not null)
{
    return StartupProblems.Report([sandboxProblem], Console.Error);
}

await using var sandboxLifetime = sandbox;
builder.AddIncidentBot();
// Disposed on the way out, so Hangfire's server is shut down by the host rather than by the process exiting
// (which it reports with a warning).
await using var app = builder.Build();

// A missing setting is the most common first-run problem: say exactly what to set, without a stack trace.
if (StartupProblems.Find(app.Services) is { Count: > 0 } problems)
{
    return StartupProblems.Report(problems, Console.Error);
}

app.MapIncidentBot();
try
{
    return sandbox is null ? await RunAsync(app) : await SandboxLauncher.RunAsync(app, sandbox, args);
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    return StartupProblems.Report([$"{exception.Message} Set ASPNETCORE_URLS (e.g. http://127.0.0.1:8080) to a free address."], Console.Error);
}

static async Task<int> RunAsync(WebApplication app)
{
    await app.RunAsync();
    return 0;
}

/// <summary>Exposed for tests, which host the same application on a loopback port.</summary>
public partial class Program;
