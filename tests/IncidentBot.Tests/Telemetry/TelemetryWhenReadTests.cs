using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IncidentBot.Tests.Telemetry;

/// <summary>OpenTelemetry runs only when something reads it: Prometheus on a management port, or OTLP (issue 14).</summary>
public sealed class TelemetryWhenReadTests
{
    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData("http://127.0.0.1:9090", null, true, false)]
    [InlineData(null, "http://127.0.0.1:4317", true, true)]
    public async Task Metrics_and_traces_are_collected_only_where_they_go(string? managementUrls, string? otlp, bool metrics, bool traces)
    {
        // Arrange
        var builder = TestHost.CreateBotBuilder();
        builder.Configuration.AddInMemoryCollection(TestHost.MinimalSettings(("Management:Urls", managementUrls), ("OTEL_EXPORTER_OTLP_ENDPOINT", otlp)));

        // Act
        await using var app = TestHost.BuildBot(builder);

        // Assert
        Assert.Equal(metrics, app.Services.GetService<MeterProvider>() is not null);
        Assert.Equal(traces, app.Services.GetService<TracerProvider>() is not null);
    }
}
