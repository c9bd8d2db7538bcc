using IncidentBot.AppHome;
using IncidentBot.BackgroundJobs;
using IncidentBot.DeadLetters;
using IncidentBot.ExactlyOnce;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Management;
using IncidentBot.People;
using IncidentBot.PostMortems;
using IncidentBot.Review;
using IncidentBot.Slack;
using IncidentBot.Slack.Http;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using IncidentBot.Timeline;

namespace IncidentBot;

/// <summary>The one list of what the bot is made of (STYLE.md convention 1), one line per capability, lowest first.</summary>
public static class IncidentBotBuilder
{
    public static WebApplicationBuilder AddIncidentBot(this WebApplicationBuilder builder)
    {
        // Management: the operators' port, and which routes each port serves.
        builder.AddManagement();

        // Telemetry: metrics (Prometheus on the management port, OTLP when configured) and traces, only when one of them
        // is there to read them. Every capability records on its meter.
        builder.AddTelemetry(scraped: ManagementServiceCollectionExtensions.ServesOperatorRoutes(builder.Configuration));

        // Hosting: what one client may cost the server (body size, slow headers and bodies, connections).
        builder.Services.AddHttpLimits();

        // Slack adapter: verification, typed payloads, dispatch, Web API client. Knows no feature; features register on it.
        builder.Services.AddSlack();

        // Storage: EF Core on SQLite, migrated at start. Knows no feature; each brings its own tables.
        builder.Services.AddStorage(builder.Configuration);

        // Background jobs: everything slower than Slack's 3-second acknowledgement.
        builder.Services.AddBackgroundJobs(builder.Configuration);

        // Exactly once: the inbound event ledger and the outbox every write to Slack goes through.
        builder.Services.AddExactlyOnce();

        // Dead letters: events that kept failing, acknowledged to Slack, kept and replayed by the sweep.
        builder.Services.AddDeadLetters();

        // People: names for the record.
        builder.Services.AddPeople();

        // Timeline: what is captured from the incident channel, and the one writer of entries.
        builder.Services.AddTimeline();

        // Incidents: the /incident commands and the incident's channel.
        builder.Services.AddIncidents();

        // Post-mortems: the draft, compiled when an incident closes and published in Slack.
        builder.Services.AddPostMortems();
        builder.Services.AddReview();
        builder.Services.AddAppHome();

        return builder;
    }

    public static WebApplication MapIncidentBot(this WebApplication app)
    {
        app.UseManagementSplit();
        app.MapSlack();
        app.MapPostMortems();
        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapBackgroundJobsDashboard();
        return app;
    }
}
