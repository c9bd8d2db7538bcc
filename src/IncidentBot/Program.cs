using IncidentBot;
using IncidentBot.Sandbox;
using IncidentBot.Storage.Copy;

// `copy-to-postgresql --from … --to …` moves a SQLite install's data into PostgreSQL and exits: no web host, no Slack.
if (CopyToPostgreSqlCommand.IsAsked(args))
{
    return await CopyToPostgreSqlCommand.RunAsync(args, Console.Out, Console.Error);
}

// The content root is the output folder, where the repo's one appsettings.json is linked: `dotnet run` would
// otherwise root it at src/IncidentBot, where there is no settings file to read.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// `sandbox`/`demo`, or a Development run (`dotnet run`) with no Slack credentials: the same bot against the built-in
// fake Slack (Sandbox/). Anywhere else missing credentials are a configuration error (exit 78).
if (SandboxMode.IsWanted(builder.Configuration, builder.Environment, args))
{
    return await SandboxProgram.RunAsync(builder, args);
}

// The bot in a real workspace: IncidentBotBuilder.cs lists what it is made of.
return await IncidentBotProgram.RunAsync(builder);

/// <summary>Exposed for tests, which host the same application on a loopback port.</summary>
public partial class Program;
