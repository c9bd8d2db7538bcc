using System.Globalization;
using System.Text;
using AnyAscii;

namespace IncidentBot.Incidents;

/// <summary>
/// Incident channel names by Slack's rules (lowercase letters, digits, '-' and '_', at most 80 characters):
/// <c>inc-2017-09-20-consumer-app-outage</c>, then <c>-2</c>, <c>-3</c>… when the name is taken.
/// </summary>
public static class ChannelNames
{
    public const int MaxLength = 80;

    public static string For(string prefix, DateTime declaredAtUtc, string title, string reference, int attempt = 1)
    {
        var suffix = attempt <= 1 ? "" : "-" + attempt.ToString(CultureInfo.InvariantCulture);
        var name = $"{prefix}-{declaredAtUtc:yyyy-MM-dd}-{Slug(title, reference)}";
        if (name.Length + suffix.Length > MaxLength)
        {
            name = name[..(MaxLength - suffix.Length)].TrimEnd('-', '_');
        }

        return name + suffix;
    }

    /// <summary>
    /// The title in lowercase ASCII words joined by dashes ("Café down" is <c>cafe-down</c>, "Сбой оплаты" is
    /// <c>sboy-oplaty</c>); the incident's <paramref name="reference"/> (<c>inc-42</c>) when the title has no letter or
    /// digit to spell, so that a name never ends at its date and says which incident it is.
    /// </summary>
    public static string Slug(string title, string reference) => SlugOf(title) is { Length: > 0 } slug ? slug : SlugOf(reference);

    private static string SlugOf(string text)
    {
        // Emoji and other symbols decorate a title rather than name it; AnyAscii would spell them (":rotating_light:").
        var words = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var symbol = Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol;
            words.Append(symbol ? " " : rune.ToString());
        }

        // Transliterated, not stripped of accents: the app runs with InvariantGlobalization, where Normalize(FormD) does
        // nothing, and no accent stripping would make Cyrillic or CJK readable ("支付故障" is "ZhiFuGuZhang").
        var ascii = words.ToString().Transliterate();
        var builder = new StringBuilder(ascii.Length);
        foreach (var c in ascii)
        {
            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower) || lower == '_')
            {
                builder.Append(lower);
            }
            // An apostrophe is part of its word ("won't", AnyAscii's soft sign in "Ob'yavlenie"): dropped, not a dash.
            else if (lower != '\'' && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        // A transliterated title can be three times its length; no slug needs more than a whole channel name.
        var slug = builder.ToString().Trim('-');
        return slug.Length <= MaxLength ? slug : slug[..MaxLength].TrimEnd('-');
    }
}
