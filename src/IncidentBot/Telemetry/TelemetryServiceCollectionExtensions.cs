using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncidentBot.Telemetry;

/// <summary>
/// Metrics and traces with OpenTelemetry: the bot's own meter (<see cref="IncidentBotMeter"/>), ASP.NET Core,
/// HttpClient and the runtime. Prometheus scrapes <c>/metrics</c> (on the management port only: the port split
/// answers 404 for it on the Slack-facing one); OTLP exports both signals when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// With neither a management port nor OTLP nothing could read them, so OpenTelemetry is not started at all (issue 14:
/// its assemblies, buffers and per-request work are then not in the process); the meters' instruments stay, unheard.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string ScrapePath = "/metrics";

    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="scraped">Whether a port serves <c>/metrics</c> for Prometheus (the management port, or the sandbox's one port).</param>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, bool scraped)
    {
        builder.Services.AddHostedService<ObservedGaugesAtStart>();
        builder.Services.AddSingleton(new PrometheusScrape(scraped));
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]);
        // Its own method: a process that exports nothing never even resolves OpenTelemetry's types.
        if (otlp || scraped)
        {
            AddOpenTelemetry(builder, otlp, prometheus: scraped);
        }

        return builder;
    }

    private static void AddOpenTelemetry(WebApplicationBuilder builder, bool otlp, bool prometheus)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            // Named here, so OTEL_SERVICE_NAME must be read here too: AddService would override the environment's name.
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "incidentbot",
                serviceVersion: typeof(IncidentBotMeter).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(IncidentBotMeter.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (prometheus)
                {
                    // Every scrape reads afresh: a cached answer would show a closed incident as live to the next scrape.
                    metrics.AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                // OpenTelemetry listens to meters by name, across the process: two hosts in one process (the tests', the
                // sandbox's) would report each other's counts. Each host reports only its own meter factory's.
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, own) =>
                {
                    var ours = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    own.AddView(instrument => instrument.Meter.Name == IncidentBotMeter.Name && !ReferenceEquals(instrument.Meter.Scope, ours) ? MetricStreamConfiguration.Drop : null);
                });
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans only where they go somewhere: made and dropped, they cost every request its share of CPU.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                // A scrape every 15 s is not worth a span; an upload or response_url is a credential in its URL.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(ScrapePath))
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request => !Untraced.IsMarked(request))
                .AddOtlpExporter());
        }
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<PrometheusScrape>().Enabled)
        {
            MapPrometheus(app);
        }

        return app;
    }

    private static void MapPrometheus(WebApplication app) => app.MapPrometheusScrapingEndpoint(ScrapePath);

    /// <summary>What <see cref="AddTelemetry"/> decided, for <see cref="MapMetrics"/>.</summary>
    private sealed record PrometheusScrape(bool Enabled);
}
