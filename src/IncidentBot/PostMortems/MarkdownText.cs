using System.Text;

namespace IncidentBot.PostMortems;

/// <summary>User text made safe for Markdown: it reads as typed, never as formatting, links or headings.</summary>
public static class MarkdownText
{
    private const string Special = "\\`*_[]<>#|~!";

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\n')
            {
                // A hard break that stays inside the list item it belongs to.
                builder.Append("  \n  ");
            }
            else if (Special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
