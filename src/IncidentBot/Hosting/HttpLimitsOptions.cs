using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Hosting;

/// <summary>
/// The <c>Http</c> section: what one client may cost the server before it is refused. The Slack-facing port is on the
/// internet, so every default is safe as it stands; Slack's own payloads are far inside them.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string Section = "Http";

    /// <summary>A request body larger than this gets 413 (Slack's largest payload, a view, is at most 250 kB).</summary>
    [Range(64 * 1024, 64 * 1024 * 1024, ErrorMessage = "Http:MaxRequestBodyBytes must be between 64 KiB (65536) and 64 MiB.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A client that has not sent all its request headers this long after connecting is disconnected.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Http:RequestHeadersTimeout must be between 1 second and 5 minutes.")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A body that arrives slower than this (after a 5-second grace period) is abandoned: a trickle holds no connection.</summary>
    [Range(1, 1024 * 1024, ErrorMessage = "Http:MinRequestBodyBytesPerSecond must be between 1 and 1048576.")]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Open connections at most, on every port together; more wait to be accepted. Empty: no limit.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Http:MaxConcurrentConnections must be between 1 and 1000000, or empty for no limit.")]
    public long? MaxConcurrentConnections { get; set; } = 1000;
}
