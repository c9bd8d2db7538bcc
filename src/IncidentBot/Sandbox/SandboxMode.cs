namespace IncidentBot.Sandbox;

/// <summary>
/// Whether this run talks to the embedded fake Slack instead of slack.com: when asked (<c>sandbox</c>, <c>demo</c>),
/// or in the Development environment (what <c>dotnet run</c> sets through launchSettings.json) with no Slack credential
/// at all, a first run on a laptop. Anywhere else, missing credentials fail closed: a production pod whose secret did
/// not mount exits 78 naming the keys, and never serves the sandbox. Never both real credentials and the sandbox.
/// </summary>
public static class SandboxMode
{
    public const string DemoCommand = "demo";
    public const string SandboxCommand = "sandbox";

    private static readonly string[] CredentialKeys = ["Slack:BotToken", "Slack:SigningSecret", "Slack:AppToken"];

    public static bool HasCredentials(IConfiguration configuration) =>
        CredentialKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    /// <summary>The run asked for the sandbox or the demo, or is a Development run with no Slack credential at all.</summary>
    public static bool IsWanted(IConfiguration configuration, IHostEnvironment environment, string[] args) =>
        Asked(args) || (environment.IsDevelopment() && !HasCredentials(configuration));

    /// <summary>
    /// Null when the sandbox may run, else why it may not: real credentials are set, or the sandbox (a page serving
    /// anyone who reaches it as any person of a fake workspace) was asked for outside Development. The demo, a replay
    /// that prints and exits, runs anywhere.
    /// </summary>
    public static string? Refusal(IConfiguration configuration, IHostEnvironment environment, string[] args)
    {
        if (args.Contains(SandboxCommand, StringComparer.OrdinalIgnoreCase) && !environment.IsDevelopment())
        {
            return $"The sandbox runs only in the Development environment (this is {environment.EnvironmentName}): on your machine, `dotnet run --project src/IncidentBot` sets it. To serve a workspace, set Slack__BotToken, Slack__SigningSecret and Incidents__PostmortemChannel.";
        }

        if (Asked(args) && HasCredentials(configuration))
        {
            return $"The sandbox and the demo run against a fake Slack, but real Slack credentials are set ({string.Join(", ", CredentialKeys.Where(k => !string.IsNullOrWhiteSpace(configuration[k])))}). Unset them to use the sandbox, or run without '{args.First(a => a.Equals(DemoCommand, StringComparison.OrdinalIgnoreCase) || a.Equals(SandboxCommand, StringComparison.OrdinalIgnoreCase))}' to use your workspace.";
        }

        return null;
    }

    private static bool Asked(string[] args) =>
        args.Contains(DemoCommand, StringComparer.OrdinalIgnoreCase) || args.Contains(SandboxCommand, StringComparer.OrdinalIgnoreCase);

    /// <summary>The sandbox serves one person on this machine: any address but loopback is refused.</summary>
    public static string? CheckLoopbackOnly(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || !(uri.IsLoopback || uri.Host == "localhost"))
            {
                return $"The sandbox binds to this machine only, not to '{url}'. Use http://127.0.0.1:<port> or http://localhost:<port>.";
            }
        }

        return null;
    }
}
