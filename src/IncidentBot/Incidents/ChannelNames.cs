using System.Globalization;
using System.Text;

namespace IncidentBot.Incidents;

/// <summary>
/// Incident channel names by Slack's rules (lowercase letters, digits, '-' and '_', at most 80 characters):
/// <c>inc-2017-09-20-consumer-app-outage</c>, then <c>-2</c>, <c>-3</c>… when the name is taken.
/// </summary>
public static class ChannelNames
{
    public const int MaxLength = 80;

    public static string For(string prefix, DateTime declaredAtUtc, string title, int attempt = 1)
    {
        var suffix = attempt <= 1 ? "" : "-" + attempt.ToString(CultureInfo.InvariantCulture);
        var head = $"{prefix}-{declaredAtUtc:yyyy-MM-dd}";
        var slug = Slug(title);
        var name = slug.Length == 0 ? head : $"{head}-{slug}";
        if (name.Length + suffix.Length > MaxLength)
        {
            name = name[..(MaxLength - suffix.Length)].TrimEnd('-', '_');
        }

        return name + suffix;
    }

    /// <summary>Letters lose their accents, anything else becomes one dash.</summary>
    public static string Slug(string title)
    {
        var builder = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower) || lower == '_')
            {
                builder.Append(lower);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }
}
