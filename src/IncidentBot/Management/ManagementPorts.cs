using Microsoft.AspNetCore.Http;

namespace IncidentBot.Management;

/// <summary>
/// Which port a request came in on. By the connection's local port, never by the Host header: a caller on the
/// Slack-facing port cannot claim to be on the management port.
/// </summary>
public sealed class ManagementPorts(IReadOnlySet<int> ports)
{
    public bool Enabled => ports.Count > 0;

    public bool IsManagement(HttpContext context) => ports.Contains(context.Connection.LocalPort);

    /// <summary>The management URLs' ports, or why they cannot be one: a fixed http port, not one the Slack-facing side uses.</summary>
    public static (IReadOnlySet<int> Ports, string? Problem) Parse(string? urls, IEnumerable<string> slackFacing)
    {
        var ports = new HashSet<int>();
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = BindingAddress.Parse(url);
            if (address.Scheme != "http" || address.Port <= 0)
            {
                return (new HashSet<int>(), $"Management:Urls must be http URLs with a fixed port, e.g. http://127.0.0.1:9090 (not '{url}'); put TLS in front of it if needed.");
            }

            ports.Add(address.Port);
        }

        var clash = slackFacing.Select(BindingAddress.Parse).FirstOrDefault(a => ports.Contains(a.Port));
        return clash is not null
            ? (new HashSet<int>(), $"Management:Urls uses port {clash.Port}, which also serves Slack; give the management port its own.")
            : (ports, null);
    }
}
