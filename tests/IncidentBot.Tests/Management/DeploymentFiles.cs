using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The repository's deployment files as an orchestrator reads them: the Dockerfile's runtime environment, compose.yaml
/// (its <c>&lt;&lt;: *anchor</c> merges applied, as Compose applies them) and the Kubernetes manifests.
/// </summary>
internal static partial class DeploymentFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The Dockerfile's <c>ENV KEY=value</c> lines (the runtime stage's are the only ones).</summary>
    public static Dictionary<string, string> DockerfileEnvironment() =>
        DockerEnv().Matches(Dockerfile()).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Trim('"'));

    public static string Dockerfile() => File.ReadAllText(Path.Combine(RepoRoot, "Dockerfile"));

    /// <summary>compose.yaml's services, by name.</summary>
    public static YamlMappingNode ComposeServices() =>
        (YamlMappingNode)((YamlMappingNode)LoadYaml("compose.yaml").Single().RootNode)["services"];

    public static YamlMappingNode ComposeService(string name) => (YamlMappingNode)ComposeServices()[name];

    /// <summary>A service's <c>environment:</c> as written, <c>${VAR…}</c> placeholders included.</summary>
    public static Dictionary<string, string> RawEnvironment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => ((YamlScalarNode)s.Value).Value ?? "");

    /// <summary>The service's <c>environment:</c>, each <c>${VAR…}</c> replaced by <paramref name="variables"/>' value (a variable not given fails).</summary>
    public static Dictionary<string, string> ComposeEnvironment(YamlMappingNode service, IReadOnlyDictionary<string, string> variables) =>
        RawEnvironment(service).ToDictionary(
            setting => setting.Key,
            setting => Placeholder().Replace(
                setting.Value,
                match => variables.TryGetValue(match.Groups["name"].Value, out var value)
                    ? value
                    : throw new InvalidOperationException($"compose.yaml uses ${{{match.Groups["name"].Value}}}, which this test does not set.")));

    /// <summary>The variables a text requires (<c>${VAR:?message}</c> or <c>${VAR?message}</c>): Compose refuses to start without them.</summary>
    public static IEnumerable<string> RequiredVariables(string text) =>
        Placeholder().Matches(text).Where(m => m.Groups["kind"].Value.EndsWith('?')).Select(m => m.Groups["name"].Value);

    /// <summary>Every variable a text names.</summary>
    public static IEnumerable<string> Variables(string text) => Placeholder().Matches(text).Select(m => m.Groups["name"].Value);

    /// <summary>The documents of a Kubernetes manifest under deploy/kubernetes, by kind.</summary>
    public static ILookup<string, YamlMappingNode> Kubernetes(string file) =>
        LoadYaml(Path.Combine("deploy", "kubernetes", file))
            .Select(d => (YamlMappingNode)d.RootNode)
            .ToLookup(d => Scalar(d, "kind"));

    public static string Scalar(YamlNode node, params string[] path)
    {
        var value = path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);
        return ((YamlScalarNode)value).Value ?? "";
    }

    public static YamlNode? Find(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static IEnumerable<YamlMappingNode> Items(YamlNode sequence) => ((YamlSequenceNode)sequence).Cast<YamlMappingNode>();

    public static IEnumerable<string> Strings(YamlNode sequence) => ((YamlSequenceNode)sequence).Select(n => ((YamlScalarNode)n).Value!);

    private static List<YamlDocument> LoadYaml(string relativePath)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoRoot, relativePath));
        // Compose merges `<<: *replica` into the service; so does this parser.
        yaml.Load(new MergingParser(new Parser(reader)));
        return [.. yaml.Documents];
    }

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

    [GeneratedRegex(@"\$\{(?<name>\w+)(?<kind>:?[-?])?[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^ENV (?<key>\w+)=(?<value>""[^""]*""|\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex DockerEnv();
}
