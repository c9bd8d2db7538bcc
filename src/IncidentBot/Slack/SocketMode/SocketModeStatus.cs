using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.SocketMode;

/// <summary>How many Socket Mode connections are open, and why Socket Mode stopped if it did.</summary>
public sealed class SocketModeStatus
{
    private int _open;
    private volatile string? _stoppedBecause;

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Set when Socket Mode gave up for good (refused token, Socket Mode turned off in the app).</summary>
    public string? StoppedBecause => _stoppedBecause;

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal void Stopped(string reason) => _stoppedBecause = reason;
}

/// <summary>With Socket Mode on, the bot only hears Slack through its sockets: not ready while none is open.</summary>
internal sealed class SocketModeHealthCheck(SocketModeStatus status, IOptions<SlackOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(options.Value.AppToken))
        {
            return Task.FromResult(HealthCheckResult.Healthy("Socket Mode off (Slack:AppToken not set): Slack calls the HTTP endpoints"));
        }

        return Task.FromResult(status switch
        {
            { StoppedBecause: { } reason } => HealthCheckResult.Unhealthy($"Socket Mode stopped: {reason}"),
            { OpenConnections: 0 } => HealthCheckResult.Unhealthy("No Socket Mode connection open"),
            _ => HealthCheckResult.Healthy($"{status.OpenConnections} Socket Mode connection(s) open"),
        });
    }
}
