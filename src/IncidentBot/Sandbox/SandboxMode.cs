namespace IncidentBot.Sandbox;

/// <summary>
/// Whether this run talks to the embedded fake Slack instead of slack.com: when no Slack credential is configured at
/// all (a first run on a laptop), or for the <c>demo</c> command. Never both real credentials and the sandbox: a run
/// that asks for the sandbox with credentials set is refused, so nothing meant for a real workspace goes to a fake.
/// </summary>
public static class SandboxMode
{
    public const string DemoCommand = "demo";
    public const string SandboxCommand = "sandbox";

    private static readonly string[] CredentialKeys = ["Slack:BotToken", "Slack:SigningSecret", "Slack:AppToken"];

    public static bool HasCredentials(IConfiguration configuration) =>
        CredentialKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    /// <summary>The run asked for the sandbox or the demo, or has no Slack credential at all.</summary>
    public static bool IsWanted(IConfiguration configuration, string[] args) => Asked(args) || !HasCredentials(configuration);

    /// <summary>Null when the sandbox may run, else why it may not (it was asked for, but real credentials are set).</summary>
    public static string? Refusal(IConfiguration configuration, string[] args)
    {
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
