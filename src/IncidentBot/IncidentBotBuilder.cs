using IncidentBot.BackgroundJobs;
using IncidentBot.Data;
using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Slack;
using IncidentBot.Slack.Http;

namespace IncidentBot;

/// <summary>The one list of what the bot is made of (STYLE.md convention 1), grouped by capability.</summary>
public static class IncidentBotBuilder
{
    public static WebApplicationBuilder AddIncidentBot(this WebApplicationBuilder builder)
    {
        // Slack adapter: verification, typed payloads, dispatch, Web API client. Feature handlers register on it.
        builder.Services.AddSlack();

        // Storage: EF Core on SQLite, migrated at start.
        builder.Services.AddData(builder.Configuration);

        // Incidents: the /incident commands, the timeline captured from Slack events, their jobs.
        builder.Services.AddIncidents();

        // Sandbox: the demo replay (the fake Slack itself is added only when the sandbox runs).
        builder.Services.AddSingleton<Sandbox.DemoRun>();

        // Background jobs: everything slower than Slack's 3-second acknowledgement.
        builder.Services.AddBackgroundJobs(builder.Configuration);

        return builder;
    }

    public static WebApplication MapIncidentBot(this WebApplication app)
    {
        app.MapSlack();
        app.MapPostMortems();
        app.MapHealthChecks("/healthz");
        app.MapBackgroundJobsDashboard();
        return app;
    }
}
