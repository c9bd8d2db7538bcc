using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.Management;

/// <summary>
/// The probes. <c>/healthz/live</c> answers while the process runs and never asks Slack: a liveness probe that failed
/// when Slack is down would restart the pod in a loop. <c>/healthz/ready</c> (and <c>/healthz</c>, its old name) runs
/// every readiness check: auth.test done, the database writable, a Socket Mode connection open when it is on. The
/// Slack-facing port says only the status; the reasons, the checks and the version go to the management port.
/// </summary>
public static class HealthEndpoints
{
    public static string Version { get; } =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<ManagementPorts>();
        Task Write(HttpContext context, HealthReport report) => ports.IsManagement(context) ? WriteDetailsAsync(context, report) : WriteStatusAsync(context, report);
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { ResponseWriter = Write });
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = Write });
        return app;
    }

    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status.ToString());
    }

    private static Task WriteDetailsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var details = new
        {
            status = report.Status.ToString(),
            version = Version,
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1) }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(details, JsonSerializerOptions.Web));
    }
}
