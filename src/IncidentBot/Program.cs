using IncidentBot;

var builder = WebApplication.CreateBuilder(args);
builder.AddIncidentBot();

var app = builder.Build();

// A missing setting is the most common first-run problem: say exactly what to set, without a stack trace.
if (StartupProblems.Find(app.Services) is { Count: > 0 } problems)
{
    return StartupProblems.Report(problems, Console.Error);
}

app.MapIncidentBot();
await app.RunAsync();
return 0;

/// <summary>Exposed for tests, which host the same application on a loopback port.</summary>
public partial class Program;
