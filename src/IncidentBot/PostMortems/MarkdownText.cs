using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentBot.PostMortems;

/// <summary>User text made safe for Markdown: it reads as typed, never as formatting, links, lists or headings.</summary>
/// <remarks>
/// Targets CommonMark with GitHub's tables and strikethrough. Every line of the text is treated as a line start,
/// the first one too: a template puts text at the start of a line or right after a list marker (<c>- {{ e.text }}</c>),
/// where <c>1. </c> or <c>- </c> would open a list inside the item.
/// </remarks>
public static partial class MarkdownText
{
    /// <summary>Characters that mean something anywhere in a line: emphasis, code, links, raw HTML, tables, strikethrough.</summary>
    private const string Special = "\\`*_[]<>#|~!";

    private static readonly SearchValues<char> SpecialOrAmpersand = SearchValues.Create(Special + "&");

    /// <summary>Besides those, what <see cref="string.ReplaceLineEndings()"/> reads as a line end.</summary>
    private static readonly SearchValues<char> SpecialAmpersandOrLineEnd = SearchValues.Create(Special + "&\r\n\f\u0085\u2028\u2029");

    /// <summary>Characters that mean something only at a line's start: list markers, rules and setext underlines.</summary>
    private const string LineStart = "-+=";

    /// <summary>
    /// A user's line break: a backslash hard break (unlike two trailing spaces it keeps the line's own trailing spaces and
    /// makes a line of an empty one), then an indent that keeps the next line inside the list item it belongs to.
    /// </summary>
    private const string LineBreak = "\\\n  ";

    public static string Escape(string text)
    {
        // Most texts need nothing: one line, no special character, nothing a line start would read as a marker.
        if (text.AsSpan().IndexOfAny(SpecialAmpersandOrLineEnd) < 0 && (text.Length == 0 || !StartsAnything(text[0])))
        {
            return text;
        }

        // Line by line without splitting: a huge draft's texts are megabytes, and each line would be a copy.
        var rest = text.ReplaceLineEndings("\n").AsSpan();
        var builder = new StringBuilder(text.Length + (text.Length / 8) + 8);
        for (var several = false; ; several = true)
        {
            if (several)
            {
                builder.Append(LineBreak);
            }

            var end = rest.IndexOf('\n');
            AppendLine(builder, end < 0 ? rest : rest[..end]);
            if (end < 0)
            {
                // A text ending in a line break leaves an empty last line; where the template ends its own line there,
                // that is a blank line, which closes the paragraph and shows the break's backslash. A space keeps the
                // line a line.
                if (several && rest.IsEmpty)
                {
                    builder.Append("&#32;");
                }

                return builder.ToString();
            }

            rest = rest[(end + 1)..];
        }
    }

    /// <summary>A first character <see cref="AppendLine"/> may escape or encode: a blank, a line-start marker, a digit.</summary>
    private static bool StartsAnything(char first) => first is ' ' or '\t' || LineStart.Contains(first, StringComparison.Ordinal) || char.IsAsciiDigit(first);

    private static void AppendLine(StringBuilder builder, ReadOnlySpan<char> line)
    {
        var start = 0;
        if (line.Length > 0 && line[0] is ' ' or '\t')
        {
            // Leading blanks would be dropped, or read as an indented code block; as a character reference the first
            // one is text, and so is everything after it.
            builder.Append(line[0] == ' ' ? "&#32;" : "&#9;");
            start = 1;
        }
        else if (line.Length > 0 && LineStart.Contains(line[0], StringComparison.Ordinal))
        {
            builder.Append('\\').Append(line[0]);
            start = 1;
        }
        else if (line.Length > 0 && char.IsAsciiDigit(line[0]) && OrderedListMarkerLength(line) is > 0 and var marker)
        {
            // "1. " and "1) " open an ordered list; "1.5 h" does not, and stays as typed.
            builder.Append(line[..(marker - 1)]).Append('\\').Append(line[marker - 1]);
            start = marker;
        }

        // Runs of ordinary characters are copied whole, and only '&' is looked at more closely: a huge draft is
        // mostly plain text.
        var rest = line[start..];
        var offset = start;
        for (var next = rest.IndexOfAny(SpecialOrAmpersand); next >= 0; next = rest.IndexOfAny(SpecialOrAmpersand))
        {
            builder.Append(rest[..next]);
            var c = rest[next];
            if (c != '&' || EntityReference().IsMatch(line, offset + next))
            {
                builder.Append('\\');
            }

            builder.Append(c);
            rest = rest[(next + 1)..];
            offset += next + 1;
        }

        builder.Append(rest);
    }

    /// <summary>The length of the ordered-list marker a line starts with ("12. "'s "12."), or 0.</summary>
    private static int OrderedListMarkerLength(ReadOnlySpan<char> line)
    {
        foreach (var marker in OrderedListMarker().EnumerateMatches(line))
        {
            return marker.Length;
        }

        return 0;
    }

    [GeneratedRegex(@"^[0-9]{1,9}[.)](?=[ \t]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OrderedListMarker();

    /// <summary>What Markdown would decode (<c>&amp;copy;</c>, <c>&amp;#169;</c>, <c>&amp;#xA9;</c>); a lone '&amp;' stays as typed.</summary>
    [GeneratedRegex(@"\G&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", RegexOptions.CultureInvariant)]
    private static partial Regex EntityReference();
}
