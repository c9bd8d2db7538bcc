using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident list</c>: the live incidents, anywhere, that the person may see (a private one only by its members).</summary>
internal sealed class ListIncidentsCommand(IncidentVisibility visibility, TimeProvider time) : ISlashCommandHandler
{
    public const string Name = "list";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var live = await visibility.LiveFor(command.UserId, cancellationToken);
        if (live.Count == 0)
        {
            return SlashCommandResponse.Ephemeral("No incident is live. :sunny:");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var lines = live.Select(i =>
            $"• {(i.IsPrivate ? ":lock: " : "")}{IncidentReplies.Describe(i)} in {(i.ChannelId is null ? "a channel being opened" : $"<#{i.ChannelId}>")}: " +
            $"led by <@{i.LeaderUserId}>, {i.Severity ?? "severity not set"}, live for {IncidentDuration.Format(now - i.DeclaredAt)}");
        return SlashCommandResponse.Ephemeral($"{live.Count} live incident{(live.Count == 1 ? "" : "s")}:\n{string.Join('\n', lines)}");
    }
}
