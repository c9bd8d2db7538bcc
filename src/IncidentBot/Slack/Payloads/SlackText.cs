using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentBot.Slack.Payloads;

/// <summary>Slack's text rules (slack-protocol.md §2.3, §9.1): exactly three characters escaped, and entity tokens.</summary>
public static partial class SlackText
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create("&<>");

    /// <summary>At most <paramref name="max"/> characters, ending with an ellipsis when cut (Slack's field limits).</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Escapes the three characters Slack requires, and nothing else.</summary>
    public static string Escape(string text)
    {
        var rest = text.AsSpan();
        var next = rest.IndexOfAny(Escaped);
        if (next < 0)
        {
            return text;
        }

        // Runs between the three characters are copied whole: a huge draft is mostly plain text.
        var builder = new StringBuilder(text.Length + 16);
        while (next >= 0)
        {
            builder.Append(rest[..next]).Append(rest[next] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                _ => "&gt;",
            });
            rest = rest[(next + 1)..];
            next = rest.IndexOfAny(Escaped);
        }

        return builder.Append(rest).ToString();
    }

    /// <summary>Undoes <see cref="Escape"/>: one pass, copying the runs between escapes whole (a huge draft is mostly plain text).</summary>
    public static string Unescape(string text)
    {
        var next = text.IndexOf('&', StringComparison.Ordinal);
        if (next < 0)
        {
            return text;
        }

        var rest = text.AsSpan();
        var builder = new StringBuilder(text.Length);
        while (next >= 0)
        {
            builder.Append(rest[..next]);
            rest = rest[next..];
            var (escape, character) = rest.StartsWith("&lt;") ? (4, '<') : rest.StartsWith("&gt;") ? (4, '>') : rest.StartsWith("&amp;") ? (5, '&') : (1, '&');
            builder.Append(character);
            rest = rest[escape..];
            next = rest.IndexOf('&');
        }

        return builder.Append(rest).ToString();
    }

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
    /// The ids of the people a text mentions: <see cref="Entities"/> with sigil "@", read from each token without
    /// making its entity (a huge draft has tens of thousands).
    /// </summary>
    public static IEnumerable<string> MentionedUserIds(string text)
    {
        var ids = new List<string>();
        foreach (var match in EntityPattern().EnumerateMatches(text))
        {
            // A token is '<', an optional sigil, the id (at least one character, up to '|' or '>'), then the label.
            // "<@>" and "<@|x>" have no sigil: the '@' is the id.
            var token = text.AsSpan(match.Index + 1, match.Length - 1);
            if (token[0] == '@' && token[1] is not ('|' or '>'))
            {
                var id = token[1..];
                ids.Add(id[..id.IndexOfAny('|', '>')].ToString());
            }
        }

        return ids;
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
                "!" when id.StartsWith("date^", StringComparison.Ordinal) => label ?? id,
                "!" when id.StartsWith("subteam^", StringComparison.Ordinal) => AsWord(label ?? "group"),
                "!" => "@" + id,
                _ when id.StartsWith("mailto:", StringComparison.Ordinal) => label ?? id["mailto:".Length..],
                _ => label is null || label == id ? id : $"{label} ({id})",
            };
        });
        return Unescape(plain);
    }

    /// <summary>
    /// User text made safe to put in a bot post, so the bot never speaks with more power than the person: a group
    /// mention (<c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>, <c>&lt;!everyone&gt;</c>, a user group
    /// <c>&lt;!subteam^S1|@oncall&gt;</c>) becomes its words ("@channel", "@oncall"), which Slack shows without notifying
    /// anyone; a link whose label the person chose shows its real address (<c>login (&lt;https://evil.example&gt;)</c>),
    /// never a disguise. People, channels, dates and bare links are kept: quoting them gives no one more reach.
    /// Input and output are Slack text (escaped, entities as tokens).
    /// </summary>
    public static string Disarm(string slackText) =>
        EntityPattern().Replace(slackText, match =>
        {
            var id = match.Groups["id"].Value;
            var label = match.Groups["label"].Success && match.Groups["label"].Value.Length > 0 ? match.Groups["label"].Value : null;
            return match.Groups["sigil"].Value switch
            {
                "!" when id.StartsWith("date^", StringComparison.Ordinal) => match.Value,
                "!" when id.StartsWith("subteam^", StringComparison.Ordinal) => AsWord(label ?? "group"),
                "!" => AsWord(id),
                "" when label is not null && label != id && !IsOwnAddress(label, id) => $"{label} (<{id}>)",
                _ => match.Value,
            };
        });

    /// <summary>A mention's name as plain words; '@' alone is no mention when the bot posts (it never sets link_names).</summary>
    private static string AsWord(string name) => name.StartsWith('@') ? name : "@" + name;

    /// <summary>A mail link labelled with its own address (<c>&lt;mailto:a@b.c|a@b.c&gt;</c>, as Slack writes it) disguises nothing.</summary>
    private static bool IsOwnAddress(string label, string id) =>
        id.StartsWith("mailto:", StringComparison.Ordinal) && id["mailto:".Length..] == label;

    [GeneratedRegex(@"<(?<sigil>[@#!]?)(?<id>[^|>]+)(?:\|(?<label>[^>]*))?>")]
    private static partial Regex EntityPattern();
}

/// <summary>A token like <c>&lt;@U123|ana&gt;</c>: the sigil is "@", "#", "!" or empty for a link.</summary>
public sealed record SlackEntity(string Sigil, string Id, string? Label);
