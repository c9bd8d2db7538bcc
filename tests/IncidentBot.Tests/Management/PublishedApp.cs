using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The app published as the Dockerfile publishes it (once for every test of the collection: it takes a while on two
/// shared cores), and started as the image starts it: as an unprivileged user, with exactly the environment given.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedApp : IAsyncLifetime
{
    /// <summary>Who runs the app when the tests run as root: not root, as the image's `app` user is not.</summary>
    public const int Nobody = 65534;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("incidentbot-publish-");

    public string Folder => _folder.FullName;

    public async Task InitializeAsync()
    {
        await DotnetCli.RunAsync(TimeSpan.FromMinutes(5), "publish", "src/IncidentBot/IncidentBot.csproj", "-c", "Release", "-o", Folder, "-p:UseAppHost=false", "-nodeReuse:false");
        _folder.UnixFileMode |= UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    }

    /// <summary>
    /// Starts the published app with <paramref name="environment"/> as its whole environment (plus PATH), as the
    /// image's user would run it (nobody, when the tests run as root), and waits until <paramref name="ready"/> answers 200.
    /// </summary>
    public Task<BotProcess> StartAsync(IReadOnlyDictionary<string, string> environment, Uri ready)
    {
        var asRoot = Environment.UserName == "root";
        string[] command = asRoot
            ? ["--reuid=" + Nobody, "--regid=" + Nobody, "--clear-groups", "dotnet", Path.Combine(Folder, "IncidentBot.dll")]
            : [Path.Combine(Folder, "IncidentBot.dll")];
        var withPath = new Dictionary<string, string>(environment) { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! };
        return BotProcess.StartAsync(asRoot ? "setpriv" : "dotnet", command, Folder, withPath, ready);
    }

    /// <summary>The process's real uid, from /proc.</summary>
    public static string Uid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The tests that start the published app share one publish.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[CollectionDefinition(Name)]
public sealed class PublishedAppCollection : ICollectionFixture<PublishedApp>
{
    public const string Name = "Published app";
}
