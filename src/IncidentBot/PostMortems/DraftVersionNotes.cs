using IncidentBot.Slack.Blocks;

namespace IncidentBot.PostMortems;

/// <summary>
/// What tells the versions of a draft apart in Slack: "version 2" on a revised draft's first message, and, on the
/// first message of a version that was revised, that it is superseded, with a link to the new one. The note goes
/// into the first section (after the header), so a message already at Slack's block limit stays within it.
/// </summary>
public static class DraftVersionNotes
{
    /// <summary>" (version 2)" for a revision; nothing for the first version.</summary>
    public static string Suffix(int version) => version == 1 ? "" : $" (version {version})";

    public static IReadOnlyList<SlackDraftMessage> Label(IReadOnlyList<SlackDraftMessage> messages, int version, string? supersededBy)
    {
        var notes = new List<string>();
        if (supersededBy is not null)
        {
            notes.Add($":warning: *Superseded:* this draft was revised. Read <{supersededBy}|version {version + 1}> instead.");
        }

        if (version > 1)
        {
            notes.Add($"_Version {version} of this draft, revised after changes to the incident._");
        }

        if (notes.Count == 0 || messages.Count == 0)
        {
            return messages;
        }

        var first = messages[0];
        var note = string.Join('\n', notes);
        var blocks = first.Blocks.ToList();
        var at = blocks.FindIndex(b => b is SectionBlock { Text: Mrkdwn });
        if (at >= 0 && blocks[at] is SectionBlock { Text: Mrkdwn text } section && note.Length + 1 + text.Text.Length <= SectionBlock.MaxTextLength)
        {
            blocks[at] = section with { Text = text with { Text = note + "\n" + text.Text } };
        }
        else
        {
            blocks.Insert(blocks.Count > 0 && blocks[0] is HeaderBlock ? 1 : 0, new SectionBlock(new Mrkdwn(note)));
        }

        var fallback = supersededBy is not null ? $"{first.Text} (version {version}, superseded by version {version + 1})" : first.Text + Suffix(version);
        return [new SlackDraftMessage(fallback, blocks), .. messages.Skip(1)];
    }
}
