using System.Text;
using System.Text.RegularExpressions;

namespace IncidentBot.Slack.Payloads;

/// <summary>Slack's text rules (slack-protocol.md §2.3, §9.1): exactly three characters escaped, and entity tokens.</summary>
public static partial class SlackText
{
    /// <summary>Escapes the three characters Slack requires, and nothing else.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    public static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>The user id in a mention token (<c>&lt;@U123&gt;</c> or <c>&lt;@U123|name&gt;</c>), else null.</summary>
    public static string? ParseUserMention(string token)
    {
        var match = EntityPattern().Match(token.Trim());
        return match.Success && match.Value.Length == token.Trim().Length && match.Groups["sigil"].Value == "@"
            ? match.Groups["id"].Value
            : null;
    }

    /// <summary>Every entity token in a text: users (@), channels (#), specials (!) and links.</summary>
    public static IEnumerable<SlackEntity> Entities(string text)
    {
        foreach (Match match in EntityPattern().Matches(text))
        {
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
            yield return new SlackEntity(match.Groups["sigil"].Value, match.Groups["id"].Value, label);
        }
    }

    /// <summary>
    /// Slack text as a person reads it: mentions become names (so quoting never pings anyone again), links their
    /// label and address, dates their fallback, and the three escapes are undone.
    /// </summary>
    public static string ToPlain(string text, Func<string, string?> userName)
    {
        var plain = EntityPattern().Replace(text, match =>
        {
            var id = match.Groups["id"].Value;
            var label = match.Groups["label"].Success && match.Groups["label"].Value.Length > 0 ? match.Groups["label"].Value : null;
            return match.Groups["sigil"].Value switch
            {
                "@" => "@" + (userName(id) ?? label ?? id),
                "#" => "#" + (label ?? id),
                "!" when id.StartsWith("date^", StringComparison.Ordinal) || id.StartsWith("subteam^", StringComparison.Ordinal) => label ?? id,
                "!" => "@" + id,
                _ when id.StartsWith("mailto:", StringComparison.Ordinal) => label ?? id["mailto:".Length..],
                _ => label is null || label == id ? id : $"{label} ({id})",
            };
        });
        return Unescape(plain);
    }

    /// <summary>
    /// Slack text that pings no group: the special mentions (<c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>,
    /// <c>&lt;!everyone&gt;</c>, user groups) become their words ("@channel"), which Slack shows without notifying anyone.
    /// Everything else (dates, links, channels, people) is kept.
    /// </summary>
    public static string WithoutBroadcasts(string text) =>
        EntityPattern().Replace(text, match =>
        {
            if (match.Groups["sigil"].Value != "!" || match.Groups["id"].Value.StartsWith("date^", StringComparison.Ordinal))
            {
                return match.Value;
            }

            var id = match.Groups["id"].Value;
            var label = match.Groups["label"].Success && match.Groups["label"].Value.Length > 0 ? match.Groups["label"].Value : null;
            var word = label ?? "@" + (id.StartsWith("subteam^", StringComparison.Ordinal) ? "group" : id);
            return word.StartsWith('@') ? word : "@" + word;
        });

    [GeneratedRegex(@"<(?<sigil>[@#!]?)(?<id>[^|>]+)(?:\|(?<label>[^>]*))?>")]
    private static partial Regex EntityPattern();
}

/// <summary>A token like <c>&lt;@U123|ana&gt;</c>: the sigil is "@", "#", "!" or empty for a link.</summary>
public sealed record SlackEntity(string Sigil, string Id, string? Label);
