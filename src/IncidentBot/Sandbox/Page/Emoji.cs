using System.Text.RegularExpressions;

namespace IncidentBot.Sandbox.Page;

/// <summary>The emoji the bot and the page use, by Slack name; others stay as <c>:name:</c>.</summary>
public static partial class Emoji
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["pushpin"] = "📌", ["bulb"] = "💡", ["hammer_and_wrench"] = "🛠️", ["white_check_mark"] = "✅",
        ["eyes"] = "👀", ["+1"] = "👍", ["thumbsup"] = "👍", ["tada"] = "🎉", ["fire"] = "🔥", ["rotating_light"] = "🚨",
        ["warning"] = "⚠️", ["memo"] = "📝", ["sunny"] = "☀️", ["hourglass"] = "⌛", ["clock1"] = "🕐", ["mag"] = "🔍",
        ["red_circle"] = "🔴", ["large_green_circle"] = "🟢", ["x"] = "❌", ["wave"] = "👋", ["pray"] = "🙏",
        ["construction"] = "🚧", ["sos"] = "🆘", ["bell"] = "🔔", ["page_facing_up"] = "📄", ["link"] = "🔗",
        ["heavy_check_mark"] = "✔️", ["information_source"] = "ℹ️", ["point_right"] = "👉", ["zzz"] = "💤",
    };

    /// <summary>The quick reactions the page offers on every message: the timeline pin and the section emoji.</summary>
    public static IReadOnlyList<string> Quick { get; } = ["pushpin", "bulb", "hammer_and_wrench", "white_check_mark", "eyes", "+1"];

    public static string? Of(string name) => Known.GetValueOrDefault(name);

    /// <summary>Replaces <c>:name:</c> with the emoji in already HTML-encoded text.</summary>
    public static string Replace(string encoded) =>
        ShortcodePattern().Replace(encoded, match => Of(match.Groups[1].Value) ?? match.Value);

    [GeneratedRegex(@":([a-z0-9_+-]+):")]
    private static partial Regex ShortcodePattern();
}
