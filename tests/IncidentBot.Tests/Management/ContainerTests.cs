using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The container, as far as a machine without Docker can run it: the app published as the Dockerfile publishes it,
/// started as a non-root user with exactly the environment of the Dockerfile and compose.yaml (the secrets filled in
/// with the fake Slack's, the ports remapped to free ones, /data a temp directory), until /healthz/ready answers 200.
/// </summary>
// The image is Linux, and the test reads the user from /proc.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ContainerTests
{
    private const int Nobody = 65534;

    private static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public async Task The_published_app_with_the_compose_environment_runs_as_a_non_root_user_and_becomes_ready()
    {
        // Arrange: the published app, the fake Slack and the environment a container would get.
        var publish = Directory.CreateTempSubdirectory("incidentbot-publish-");
        var data = Directory.CreateTempSubdirectory("incidentbot-data-");
        try
        {
            await PublishAsync(publish.FullName);
            await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });
            var postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId);
            var compose = ComposeService();
            var environment = new Dictionary<string, string>(DockerfileEnvironment());
            foreach (var (key, value) in ComposeEnvironment(compose, new Dictionary<string, string>
            {
                ["SLACK_BOT_TOKEN"] = slack.Options.BotToken,
                ["SLACK_SIGNING_SECRET"] = slack.Options.SigningSecret,
                ["SLACK_APP_TOKEN"] = "",
                ["INCIDENTS_POSTMORTEM_CHANNEL"] = postmortems.Id,
            }))
            {
                environment[key] = value;
            }

            // The ports the compose file publishes are the ones the environment listens on; the test moves both.
            var ports = ((YamlSequenceNode)compose["ports"]).Select(p => ((YamlScalarNode)p).Value).ToList();
            var httpPort = environment["ASPNETCORE_HTTP_PORTS"];
            var managementPort = new Uri(environment["Management__Urls"]).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"{httpPort}:{httpPort}", ports);
            Assert.Contains($"127.0.0.1:{managementPort}:{managementPort}", ports);
            var freeHttp = BotHostOptions.FreePort();
            var freeManagement = BotHostOptions.FreePort();
            environment["ASPNETCORE_HTTP_PORTS"] = $"{freeHttp}";
            environment["Management__Urls"] = environment["Management__Urls"].Replace($":{managementPort}", $":{freeManagement}", StringComparison.Ordinal);
            environment["ConnectionStrings__IncidentBot"] = environment["ConnectionStrings__IncidentBot"].Replace("/data/", data.FullName + "/", StringComparison.Ordinal);
            // Not in compose.yaml: in production the bot talks to slack.com.
            environment["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
            environment["PATH"] = Environment.GetEnvironmentVariable("PATH")!;
            environment["HOME"] = data.FullName;

            // As the image's `app` user would: it reads the app and writes only its volume.
            var asRoot = Environment.UserName == "root";
            publish.UnixFileMode |= UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            data.UnixFileMode = (UnixFileMode)0b111_111_111;
            string[] command = asRoot
                ? ["--reuid=" + Nobody, "--regid=" + Nobody, "--clear-groups", "dotnet", Path.Combine(publish.FullName, "IncidentBot.dll")]
                : [Path.Combine(publish.FullName, "IncidentBot.dll")];

            // Act
            await using var bot = await BotProcess.StartAsync(
                asRoot ? "setpriv" : "dotnet", command, publish.FullName, environment, new Uri($"http://127.0.0.1:{freeManagement}/healthz/ready"));

            // Assert
            Assert.NotEqual("0", ProcessUid(bot.Id));
            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{freeHttp}/healthz/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(File.Exists(Path.Combine(data.FullName, "incidentbot.db")), bot.Output);
            Assert.DoesNotContain("Overriding HTTP_PORTS", bot.Output, StringComparison.Ordinal);
        }
        finally
        {
            publish.Delete(recursive: true);
            data.Delete(recursive: true);
        }
    }

    /// <summary><c>dotnet publish</c> as the Dockerfile runs it, on this checkout.</summary>
    private static async Task PublishAsync(string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in new[] { "publish", "src/IncidentBot/IncidentBot.csproj", "-c", "Release", "-o", output, "-p:UseAppHost=false", "-nodeReuse:false" })
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings would point a nested build at its own.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }

    private static YamlMappingNode ComposeService()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoRoot, "compose.yaml"));
        yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        return (YamlMappingNode)services["incidentbot"];
    }

    /// <summary>The service's <c>environment:</c>, each <c>${VAR…}</c> replaced by <paramref name="variables"/>' value (a variable not given fails).</summary>
    private static Dictionary<string, string> ComposeEnvironment(YamlMappingNode service, IReadOnlyDictionary<string, string> variables) =>
        ((YamlMappingNode)service["environment"]).ToDictionary(
            setting => ((YamlScalarNode)setting.Key).Value!,
            setting => Placeholder().Replace(
                ((YamlScalarNode)setting.Value).Value ?? "",
                match => variables.TryGetValue(match.Groups["name"].Value, out var value)
                    ? value
                    : throw new InvalidOperationException($"compose.yaml uses ${{{match.Groups["name"].Value}}}, which this test does not set.")));

    /// <summary>The Dockerfile's <c>ENV KEY=value</c> lines (the runtime stage's are the only ones).</summary>
    private static Dictionary<string, string> DockerfileEnvironment()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepoRoot, "Dockerfile"));
        Assert.Contains("\nUSER $APP_UID\n", dockerfile, StringComparison.Ordinal);
        return DockerEnv().Matches(dockerfile).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Trim('"'));
    }

    private static string ProcessUid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IncidentBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No IncidentBot.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\$\{(?<name>\w+)(:?[-?][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^ENV (?<key>\w+)=(?<value>""[^""]*""|\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex DockerEnv();
}
