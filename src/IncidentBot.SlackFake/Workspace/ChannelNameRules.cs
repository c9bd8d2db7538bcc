namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// conversations.create's name rules. Slack validates (never auto-fixes) on create: lowercase
/// letters, digits, '-' and '_', at most 80 characters. Nothing stricter is enforced, because a
/// fake stricter than Slack would hide bugs the other way round.
/// </summary>
public static class ChannelNameRules
{
    public const int MaxLength = 80;

    /// <summary>Returns Slack's error code for an invalid name, or null when the name is valid.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "invalid_name_required";
        }

        if (name.Length > MaxLength)
        {
            return "invalid_name_maxlength";
        }

        return name.All(IsAllowed) ? null : "invalid_name_specials";
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_';
}
