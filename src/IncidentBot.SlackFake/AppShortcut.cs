namespace IncidentBot.SlackFake;

/// <summary>
/// A shortcut the app declares (manifest <c>features.shortcuts</c>): what Slack offers people in the ⚡ menu (global)
/// or in a message's "More actions" menu (message). The fake does not read a manifest: whoever starts it lists them.
/// </summary>
public sealed record AppShortcut(string CallbackId, string Name, ShortcutType Type);

/// <summary>Where Slack offers a shortcut: global (no channel, payload <c>shortcut</c>) or on a message (<c>message_action</c>).</summary>
public enum ShortcutType
{
    Global,
    Message,
}
