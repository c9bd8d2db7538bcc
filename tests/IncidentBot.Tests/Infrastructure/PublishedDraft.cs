using System.Text.Json;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>A published post-mortem draft as people see it in the fake Slack: its messages' text, and its Markdown file.</summary>
public static class PublishedDraft
{
    /// <summary>The text of every block of the draft's messages in the post-mortem channel, in order, one block a line.</summary>
    public static string SlackText(SlackTestbed testbed)
    {
        var drafts = testbed.Slack.Workspace.Messages(testbed.PostmortemChannel)
            .Where(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(drafts);
        return string.Join("\n", drafts.SelectMany(m => m.Blocks!.Value.EnumerateArray()).Select(Text));
    }

    /// <summary>The content of the one Markdown file the bot shared.</summary>
    public static string Markdown(SlackTestbed testbed) => Assert.Single(testbed.Slack.Workspace.Files).ContentAsString;

    private static string Text(JsonElement block) =>
        block.GetProperty("type").GetString() == "context"
            ? string.Join(" ", block.GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString()))
            : block.GetProperty("text").GetProperty("text").GetString()!;
}
