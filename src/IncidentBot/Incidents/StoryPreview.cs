namespace IncidentBot.Incidents;

/// <summary>How a long story field is noted on the timeline: by its start, not copied whole.</summary>
public static class StoryPreview
{
    /// <summary>
    /// At most <paramref name="max"/> characters of Slack text, cut after a whole word and never inside an escape
    /// (<c>&amp;amp;</c>) or an entity (<c>&lt;@U1&gt;</c>), with an ellipsis when cut.
    /// </summary>
    public static string Of(string slackText, int max = 80)
    {
        if (slackText.Length <= max)
        {
            return slackText;
        }

        var cut = slackText.LastIndexOf(' ', max);
        cut = cut < max / 2 ? max : cut;
        var entity = slackText.LastIndexOf('<', cut - 1);
        if (entity >= 0 && slackText.IndexOf('>', entity) is var close && (close < 0 || close >= cut))
        {
            cut = entity;
        }

        var escape = slackText.LastIndexOf('&', cut - 1);
        if (escape >= 0 && slackText.IndexOf(';', escape) is var end && end >= cut && end - escape <= 5)
        {
            cut = escape;
        }

        return slackText[..cut].TrimEnd() + "…";
    }
}
