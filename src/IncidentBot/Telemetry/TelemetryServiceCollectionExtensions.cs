using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncidentBot.Telemetry;

/// <summary>
/// Metrics and traces with OpenTelemetry: the bot's own meter (<see cref="IncidentBotMeter"/>), ASP.NET Core,
/// HttpClient and the runtime. Prometheus scrapes <c>/metrics</c> (on the management port only: the port split
/// answers 404 for it on the Slack-facing one); OTLP exports both signals when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string ScrapePath = "/metrics";

    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ObservedGaugesAtStart>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("incidentbot", serviceVersion: typeof(IncidentBotMeter).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(IncidentBotMeter.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                // A scrape every 15 s is not worth a span; an upload or response_url is a credential in its URL.
                tracing
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(ScrapePath))
                    .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request => !Untraced.IsMarked(request));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(ScrapePath);
        return app;
    }
}
