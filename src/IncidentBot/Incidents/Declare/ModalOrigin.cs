using System.Globalization;

namespace IncidentBot.Incidents.Declare;

/// <summary>
/// Where a modal was opened from (declare, add to timeline), carried in its <c>private_metadata</c> (3000 characters at most): the
/// channel (none from App Home or a global shortcut), the response_url to answer there, and, from the message
/// shortcut, the message that becomes the first timeline entry (its text cut to fit).
/// </summary>
public sealed record ModalOrigin(string? ChannelId, string? ResponseUrl)
{
    private const int MaxLength = 3000;

    public string? MessageTs { get; init; }
    public string? MessageUserId { get; init; }

    /// <summary>Slack text (escaped).</summary>
    public string? MessageText { get; init; }

    public override string ToString()
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{ChannelId}|{ResponseUrl}|{MessageTs}|{MessageUserId}|");
        var text = MessageText ?? "";
        var room = MaxLength - head.Length;
        if (text.Length > room)
        {
            // Never split a surrogate pair or an escape (&amp; &lt; &gt;).
            var cut = Math.Max(0, room - 1);
            var amp = text.LastIndexOf('&', Math.Max(0, cut - 1));
            if (amp >= 0 && cut - amp < 5 && text.IndexOf(';', amp) is var semicolon && (semicolon < 0 || semicolon >= cut))
            {
                cut = amp;
            }

            if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut] + "…";
        }

        return head + text;
    }

    public static ModalOrigin Parse(string? metadata)
    {
        var parts = (metadata ?? "").Split('|', 5);
        string? Part(int i) => parts.Length > i && parts[i].Length > 0 ? parts[i] : null;
        return new ModalOrigin(Part(0), Part(1)) { MessageTs = Part(2), MessageUserId = Part(3), MessageText = Part(4) };
    }
}
