using IncidentBot.Incidents;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.AppHome;

/// <summary>The App Home tab: a Declare incident button and the live incidents this person may see (50 at most).</summary>
public static class HomeTab
{
    public const string DeclareAction = "home_declare";
    private const int MaxListed = 40;

    public static HomeView Build(IReadOnlyList<Incident> live, DateTime now)
    {
        var blocks = new List<Block>
        {
            new HeaderBlock(new PlainText("Incidents")),
            new SectionBlock(new Mrkdwn("Something broken? Declare an incident: the bot opens a channel for it, records its timeline, and drafts the post-mortem when it is closed.")),
            new ActionsBlock([new ButtonElement(new PlainText("Declare incident"), DeclareAction) { Value = "declare", Style = "danger" }]) { BlockId = "home-declare" },
            new DividerBlock(),
        };
        if (live.Count == 0)
        {
            blocks.Add(new SectionBlock(new Mrkdwn("No incident is live. :sunny:")) { BlockId = "home-none" });
        }

        foreach (var incident in live.Take(MaxListed))
        {
            var where = incident.ChannelId is null ? "its channel is being opened" : $"<#{incident.ChannelId}>";
            blocks.Add(new SectionBlock(new Mrkdwn(
                $"{(incident.IsPrivate ? ":lock: " : "")}*{incident.Reference}* {SlackText.Escape(incident.Title)} · {incident.Severity ?? "severity not set"}\n" +
                $"Led by <@{incident.LeaderUserId}> · live for {IncidentDuration.Format(now - incident.DeclaredAt)} · {where}"))
            { BlockId = $"home-incident-{incident.Id}" });
        }

        if (live.Count > MaxListed)
        {
            blocks.Add(new ContextBlock([new PlainText($"And {live.Count - MaxListed} more: /incident list shows them all.")]));
        }

        blocks.Add(new ContextBlock([new Mrkdwn("Type `/incident help` in any channel for the commands.")]));
        return new HomeView(blocks);
    }
}
