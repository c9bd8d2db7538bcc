using IncidentBot.Slack.Http;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests;

/// <summary>The manifest a workspace admin pastes must match what the bot serves and what its client calls.</summary>
public sealed class ManifestTests
{
    private static readonly YamlMappingNode Manifest = Load("manifest.yml");

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>A node as text with sorted keys, leaving out the keys named in <paramref name="skip"/> and overriding scalars.</summary>
    private static string Canonical(YamlNode node, string path, IReadOnlySet<string> skip, IReadOnlyDictionary<string, string> overrides) => node switch
    {
        YamlMappingNode map => "{" + string.Join(",", map.Children
            .Select(c => (Key: ((YamlScalarNode)c.Key).Value!, c.Value))
            .Where(c => !skip.Contains($"{path}/{c.Key}"))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}:{Canonical(c.Value, $"{path}/{c.Key}", skip, overrides)}")) + "}",
        YamlSequenceNode sequence => "[" + string.Join(",", sequence.Children.Select(c => Canonical(c, path + "/-", skip, overrides))) + "]",
        YamlScalarNode scalar => overrides.GetValueOrDefault(path, scalar.Value!),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private static YamlNode At(params string[] path) =>
        path.Aggregate<string, YamlNode>(Manifest, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static IEnumerable<string> Strings(params string[] path) =>
        ((YamlSequenceNode)At(path)).Children.Select(n => ((YamlScalarNode)n).Value!);

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    private static string PathOf(string url) => new Uri(url).AbsolutePath;

    [Fact]
    public void Request_urls_are_the_paths_the_bot_serves()
    {
        var command = Assert.Single(((YamlSequenceNode)At("features", "slash_commands")).Children);

        Assert.Equal(SlackEndpoints.CommandsPath, PathOf(Text(command, "url")));
        Assert.Equal(SlackEndpoints.EventsPath, PathOf(Text(At("settings", "event_subscriptions"), "request_url")));
        Assert.Equal(SlackEndpoints.InteractionsPath, PathOf(Text(At("settings", "interactivity"), "request_url")));
        Assert.Equal("true", Text(At("settings", "interactivity"), "is_enabled"));
    }

    [Fact]
    public void Slash_command_is_incident_with_a_usage_hint_and_escaping()
    {
        var command = Assert.Single(((YamlSequenceNode)At("features", "slash_commands")).Children);

        Assert.Equal("/incident", Text(command, "command"));
        Assert.Contains("start [title]", Text(command, "usage_hint"), StringComparison.Ordinal);
        Assert.Equal("true", Text(command, "should_escape"));
    }

    [Fact]
    public void Every_subscribed_event_is_one_the_bot_parses_and_every_handled_event_is_subscribed()
    {
        var subscribed = Strings("settings", "event_subscriptions", "bot_events").ToHashSet();
        var parsed = SlackEventTypes.Events.Keys.Append("message").ToHashSet();

        // message.channels and message.groups arrive with type "message".
        Assert.All(subscribed, e => Assert.Contains(e.StartsWith("message.", StringComparison.Ordinal) ? "message" : e, parsed));
        Assert.Equal(
            ["app_home_opened", "member_joined_channel", "message.channels", "message.groups", "reaction_added", "reaction_removed"],
            subscribed.Order());
    }

    /// <summary>The scopes each subscribed event needs (slack-protocol.md §8), and the slash command's.</summary>
    private static readonly Dictionary<string, string[]> EventScopes = new()
    {
        ["member_joined_channel"] = ["channels:read", "groups:read"],
        ["message.channels"] = ["channels:history"],
        ["message.groups"] = ["groups:history"],
        ["reaction_added"] = ["reactions:read"],
        ["reaction_removed"] = ["reactions:read"],
        ["app_mention"] = ["app_mentions:read"],
        // The Home tab needs no scope of its own.
        ["app_home_opened"] = [],
    };

    private static HashSet<string> UsedScopes(string file)
    {
        var manifest = Load(file);
        var events = ((YamlSequenceNode)manifest["settings"]["event_subscriptions"]["bot_events"]).Children.Select(n => ((YamlScalarNode)n).Value!);
        return
        [
            .. SlackMethods.All.SelectMany(m => m.Scopes),
            .. events.SelectMany(e => EventScopes.TryGetValue(e, out var scopes) ? scopes : throw new InvalidOperationException($"Say which scopes {e} needs.")),
            "commands",
        ];
    }

    private static HashSet<string> GrantedScopes(string file) =>
        [.. ((YamlSequenceNode)Load(file)["oauth_config"]["scopes"]["bot"]).Children.Select(n => ((YamlScalarNode)n).Value!)];

    [Theory]
    [InlineData("manifest.yml")]
    [InlineData("manifest.socket-mode.yml")]
    public void Every_scope_the_client_and_the_events_need_is_granted(string file)
    {
        Assert.Empty(UsedScopes(file).Except(GrantedScopes(file)).Order());
    }

    /// <summary>An admin is asked for no power the bot does not use: each granted scope serves a method it calls or an event it handles.</summary>
    [Theory]
    [InlineData("manifest.yml")]
    [InlineData("manifest.socket-mode.yml")]
    public void Every_granted_scope_is_used_by_a_method_or_an_event(string file)
    {
        Assert.Empty(GrantedScopes(file).Except(UsedScopes(file)).Order());
    }

    [Fact]
    public void Display_information_is_within_slacks_limits()
    {
        var name = Text(At("display_information"), "name");
        var description = Text(At("display_information"), "description");

        Assert.InRange(name.Length, 1, 35);
        Assert.InRange(description.Length, 1, 140);
        Assert.Equal("1", Text(At("_metadata"), "major_version"));
    }

    [Fact]
    public void The_socket_mode_variant_is_the_same_app_without_request_urls_and_with_socket_mode_on()
    {
        var socketMode = Load("manifest.socket-mode.yml");
        HashSet<string> urls = ["/features/slash_commands/-/url", "/settings/event_subscriptions/request_url", "/settings/interactivity/request_url"];

        var httpWithoutUrls = Canonical(Manifest, "", urls, new Dictionary<string, string> { ["/settings/socket_mode_enabled"] = "true" });
        var socketModeAsIs = Canonical(socketMode, "", new HashSet<string>(), new Dictionary<string, string>());

        Assert.Equal(httpWithoutUrls, socketModeAsIs);
        Assert.Equal("false", Text(At("settings"), "socket_mode_enabled"));
        Assert.DoesNotContain("://", socketModeAsIs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_shortcut_in_the_manifest_has_a_handler_of_its_kind_and_every_handler_is_declared()
    {
        await using var testbed = await Infrastructure.SlackTestbed.StartAsync();
        var bot = testbed.Bot;
        var declared = ((YamlSequenceNode)At("features", "shortcuts")).Children.Cast<YamlMappingNode>()
            .Select(s => (Type: Text(s, "type"), CallbackId: Text(s, "callback_id"), Name: Text(s, "name"), Description: Text(s, "description")))
            .ToList();

        using var scope = bot.Services.CreateScope();
        foreach (var shortcut in declared)
        {
            var handler = shortcut.Type == "global"
                ? (object?)scope.ServiceProvider.GetKeyedService<IncidentBot.Slack.Handling.IGlobalShortcutHandler>("shortcut:" + shortcut.CallbackId)
                : scope.ServiceProvider.GetKeyedService<IncidentBot.Slack.Handling.IMessageShortcutHandler>("shortcut:" + shortcut.CallbackId);
            Assert.True(handler is not null, $"No {shortcut.Type} shortcut handler for {shortcut.CallbackId}");
            // Slack's limits for a shortcut's name and description.
            Assert.InRange(shortcut.Name.Length, 1, 50);
            Assert.InRange(shortcut.Description.Length, 1, 50);
        }

        Assert.Equal(
            ["add_to_timeline", "declare_from_message", "declare_incident"],
            declared.Select(s => s.CallbackId).Order(StringComparer.Ordinal));
        Assert.Equal("true", Text(At("features", "app_home"), "home_tab_enabled"));
        Assert.Contains("app_home_opened", Strings("settings", "event_subscriptions", "bot_events"));
    }
}
