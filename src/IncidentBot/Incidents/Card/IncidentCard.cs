using System.Globalization;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Card;

/// <summary>What the card shows: the incident, who holds which role, its latest status update.</summary>
public sealed record CardState(Incident Incident, IReadOnlyList<string> RoleNames, IReadOnlyList<IncidentRole> Roles, StatusUpdate? LatestUpdate);

/// <summary>
/// The incident card: one message in the incident channel (with its buttons) and, for stakeholders, one in the
/// announcements channel (no buttons, a link to the incident channel). Rendered from the current state every time, so
/// that posting it and updating it in place (chat.update) say the same, and a repeated update is harmless.
/// </summary>
public static class IncidentCard
{
    /// <summary>Room left in a section for the bot's own words around a user's update (Slack allows 3000).</summary>
    private const int MaxUpdateLength = 2500;

    public static string Text(CardState state) =>
        IncidentAnnouncement.Heading(state.Incident, Status(state.Incident));

    /// <summary>The card in the incident channel: its state, how to record, and the buttons while it is live.</summary>
    public static IReadOnlyList<Block> Blocks(CardState state, TimelineOptions options, string closeForetold)
    {
        var incident = state.Incident;
        List<Block> blocks = [.. Body(state), new ContextBlock([new Mrkdwn(IncidentAnnouncement.HowToRecord(options))])];
        if (incident.Status == IncidentStatus.Live)
        {
            var id = incident.Id.ToString(CultureInfo.InvariantCulture);
            blocks.Add(new ActionsBlock(
            [
                new ButtonElement(new PlainText("Post update"), IncidentCardIds.PostUpdate) { Value = id, Style = "primary" },
                new ButtonElement(new PlainText("Set severity"), IncidentCardIds.SetSeverity) { Value = id },
                new ButtonElement(new PlainText("Hand over lead"), IncidentCardIds.HandOverLead) { Value = id },
                new ButtonElement(new PlainText("Close"), IncidentCardIds.Close)
                {
                    Value = id,
                    Style = "danger",
                    Confirm = new ConfirmDialog(
                        new PlainText($"Close {incident.Reference}?"),
                        new PlainText(Fit(closeForetold, ConfirmDialog.MaxTextLength)),
                        new PlainText("Close it"),
                        new PlainText("Keep it open")) { Style = "danger" },
                },
            ]) { BlockId = "incident-card-actions" });
        }

        return blocks;
    }

    /// <summary>The stakeholders' card: the same state, where to follow it, and no buttons (they act in the incident channel).</summary>
    public static IReadOnlyList<Block> StakeholderBlocks(CardState state) =>
        [.. Body(state), new ContextBlock([new Mrkdwn(state.Incident.ChannelId is { } channel ? $"Follow it in <#{channel}>." : "Its channel is being opened.")])];

    public static string StakeholderText(CardState state) => Text(state) + (state.Incident.ChannelId is { } channel ? $"\nFollow it in <#{channel}>." : "");

    private static IEnumerable<Block> Body(CardState state)
    {
        var incident = state.Incident;
        yield return new HeaderBlock(new PlainText(Fit($"🚨 {incident.Reference}: {incident.Title}", HeaderBlock.MaxTextLength)));
        yield return new SectionBlock(new Mrkdwn(
            $"*Status:* {Status(incident)} · *Severity:* {incident.Severity ?? "not set"} · *Incident Leader:* <@{incident.LeaderUserId}>\n" +
            Fit(RolesLine(state), SectionBlock.MaxTextLength - 200)));
        if (state.LatestUpdate is { } update)
        {
            // User text: disarmed (no @channel, no ping), and shown verbatim so that Slack links nothing by itself.
            var text = Fit(SlackText.Disarm(update.Text), MaxUpdateLength);
            yield return new SectionBlock(new Mrkdwn($"*Latest update* ({update.PostedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, <@{update.ByUserId}>):\n{text}") { Verbatim = true });
        }
        else
        {
            yield return new SectionBlock(new Mrkdwn("*Latest update:* none yet"));
        }
    }

    private static string RolesLine(CardState state) =>
        string.Join(" · ", state.RoleNames.Select(role =>
            $"*{role}:* {(state.Roles.FirstOrDefault(r => string.Equals(r.Role, role, StringComparison.OrdinalIgnoreCase)) is { } held ? $"<@{held.UserId}>" : "not assigned")}"));

    private static string Status(Incident incident) => incident.Status switch
    {
        IncidentStatus.Closed => $"closed {incident.ClosedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
        IncidentStatus.Live => "live",
        IncidentStatus.Opening => "opening",
        _ => "failed",
    };

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
