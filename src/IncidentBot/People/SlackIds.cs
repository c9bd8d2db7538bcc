using System.Text.RegularExpressions;

namespace IncidentBot.People;

/// <summary>What configured Slack ids look like, checked at start so that a typo stops the bot, named.</summary>
public static partial class SlackIds
{
    /// <summary>The first id that is not a user (<c>U…</c>, <c>W…</c>) or user group (<c>S…</c>) id, or null.</summary>
    public static string? FirstNotPersonOrGroup(IEnumerable<string> ids) => ids.FirstOrDefault(id => !PersonOrGroup().IsMatch(id));

    public static bool IsChannel(string id) => Channel().IsMatch(id);

    [GeneratedRegex("^[UWS][A-Z0-9]{2,}$")]
    private static partial Regex PersonOrGroup();

    [GeneratedRegex("^[CG][A-Z0-9]{2,}$")]
    private static partial Regex Channel();
}
