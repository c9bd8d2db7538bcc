using System.Text.Json;
using IncidentBot.SlackFake.Driver;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// The slash commands typed on the page and the bot's immediate answers: Slack shows those answers to the person who
/// typed the command (or the channel, for <c>in_channel</c>) without storing them, so the page keeps them itself.
/// </summary>
public sealed class SlashCommandLog
{
    private readonly Lock _gate = new();
    private readonly List<SentCommand> _commands = [];

    public void Add(SentCommand command)
    {
        lock (_gate)
        {
            _commands.Add(command);
        }
    }

    public IReadOnlyList<SentCommand> In(string channelId)
    {
        lock (_gate)
        {
            return [.. _commands.Where(c => c.ChannelId == channelId)];
        }
    }
}

/// <summary>One command as sent, with the bot's immediate answer (null when it answered with an empty 200 or failed).</summary>
public sealed record SentCommand(string UserId, string ChannelId, string Line, DateTimeOffset At, SlashCommandResult Result)
{
    public JsonElement? Answer => Result.Json is { ValueKind: JsonValueKind.Object } json ? json : null;
}
