using IncidentBot.SlackFake;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// The shortcuts the app's manifest.yml declares (<c>features.shortcuts</c>: name, type global|message, callback_id),
/// read from the copy embedded in the bot, so the sandbox's ⚡ and "More actions" menus offer what Slack would.
/// </summary>
public static class ManifestShortcuts
{
    public const string ResourceName = "manifest.yml";

    /// <summary>The embedded manifest's shortcuts; none when it declares none.</summary>
    public static IReadOnlyList<AppShortcut> FromEmbeddedManifest()
    {
        using var stream = typeof(ManifestShortcuts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The {ResourceName} resource is missing from {typeof(ManifestShortcuts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>The shortcuts of a manifest's YAML text; a shortcut of another type than global or message is skipped.</summary>
    public static IReadOnlyList<AppShortcut> Parse(string manifestYaml)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(manifestYaml));
        if (yaml.Documents.Count == 0 || Child(yaml.Documents[0].RootNode, "features") is not { } features
            || Child(features, "shortcuts") is not YamlSequenceNode shortcuts)
        {
            return [];
        }

        return [.. shortcuts.Children.Select(Shortcut).OfType<AppShortcut>()];
    }

    private static AppShortcut? Shortcut(YamlNode node)
    {
        var type = Scalar(node, "type") switch
        {
            "global" => ShortcutType.Global,
            "message" => ShortcutType.Message,
            _ => (ShortcutType?)null,
        };
        return type is { } known && Scalar(node, "callback_id") is { } callbackId
            ? new AppShortcut(callbackId, Scalar(node, "name") ?? callbackId, known)
            : null;
    }

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
