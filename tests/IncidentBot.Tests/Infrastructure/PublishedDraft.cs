using System.Text.Json;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>A published post-mortem draft as people see it in the fake Slack: its messages' text, and its Markdown file.</summary>
public static class PublishedDraft
{
    /// <summary>The text of every block of the draft's messages in the post-mortem channel, in order, one block a line (a divider, which has none, left out).</summary>
    public static string SlackText(SlackTestbed testbed)
    {
        var drafts = testbed.Slack.Workspace.Messages(testbed.PostmortemChannel)
            .Where(m => m.Text.StartsWith("Post-mortem draft", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(drafts);
        return string.Join("\n", drafts.SelectMany(m => m.Blocks!.Value.EnumerateArray()).Select(Text).OfType<string>());
    }

    /// <summary>The content of the one Markdown file the bot shared.</summary>
    public static string Markdown(SlackTestbed testbed) => Assert.Single(testbed.Slack.Workspace.Files).ContentAsString;

    /// <summary>A block's text; null for one without (a divider).</summary>
    private static string? Text(JsonElement block) => block.GetProperty("type").GetString() switch
    {
        "context" => string.Join(" ", block.GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString())),
        "divider" => null,
        _ => block.GetProperty("text").GetProperty("text").GetString()!,
    };
}
