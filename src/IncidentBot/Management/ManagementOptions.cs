namespace IncidentBot.Management;

/// <summary>
/// The management port: what operators reach (metrics, the jobs dashboard, the drafts, health details), kept off the
/// port that faces Slack and so the internet.
/// </summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Where the management port listens, e.g. <c>http://127.0.0.1:9090</c>; empty: no management port.</summary>
    public string? Urls { get; set; }

    /// <summary>
    /// False only for the sandbox, a page on this machine that serves everything on one loopback port. Otherwise the
    /// Slack-facing port serves <c>/slack/*</c> and <c>/healthz/*</c> and nothing else.
    /// </summary>
    public bool SplitPorts { get; set; } = true;
}
