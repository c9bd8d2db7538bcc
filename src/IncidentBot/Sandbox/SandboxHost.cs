using IncidentBot.Sandbox.Page;
using IncidentBot.SlackFake;

namespace IncidentBot.Sandbox;

/// <summary>
/// The embedded fake Slack a sandbox or demo run uses: started on loopback before the bot, it supplies the settings
/// that point the unchanged bot at it (the same signed endpoints, Web API client, storage and jobs).
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private SandboxHost(FakeSlackServer slack, string postmortemChannel, string databasePath)
    {
        Slack = slack;
        PostmortemChannel = postmortemChannel;
        DatabasePath = databasePath;
    }

    public FakeSlackServer Slack { get; }

    public string PostmortemChannel { get; }

    public string DatabasePath { get; }

    public static async Task<SandboxHost> StartAsync(TimeProvider clock, CancellationToken cancellationToken = default)
    {
        // The fake offers the shortcuts the bot's manifest declares, as Slack offers what the installed app declares.
        var options = new FakeSlackOptions { Clock = clock, Shortcuts = ManifestShortcuts.FromEmbeddedManifest() };
        var slack = await FakeSlackServer.StartNewAsync(options, cancellationToken);
        var postmortems = SandboxWorkspace.Seed(slack);
        // A fresh database per run: the fake workspace is new each time, so old incidents would point nowhere.
        var database = Path.Combine(Directory.CreateTempSubdirectory("incidentbot-sandbox-").FullName, "sandbox.db");
        return new SandboxHost(slack, postmortems, database);
    }

    /// <summary>The configuration that points the bot at this fake Slack.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Slack:BotToken"] = Slack.Options.BotToken,
        ["Slack:SigningSecret"] = Slack.Options.SigningSecret,
        ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString(),
        ["Incidents:PostmortemChannel"] = PostmortemChannel,
        ["ConnectionStrings:IncidentBot"] = $"Data Source={DatabasePath}",
        // One loopback port for the page, its drafts and the bot's Slack endpoints: there is no internet side to keep apart.
        ["Management:SplitPorts"] = "false",
        ["Management:Urls"] = "",
    };

    /// <summary>Once the bot listens, the fake sends it what Slack would: commands, events, interactions.</summary>
    public void ConnectBot(Uri botBaseUrl) => Slack.ConnectBot(botBaseUrl);

    public async ValueTask DisposeAsync() => await Slack.DisposeAsync();
}
