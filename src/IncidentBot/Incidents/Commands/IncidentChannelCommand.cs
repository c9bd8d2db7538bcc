using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary>A sub-command that acts on the live incident of the channel it is typed in, and answers a clear error anywhere else.</summary>
internal abstract class IncidentChannelCommand(IncidentBotDbContext db) : ISlashCommandHandler
{
    protected abstract string Name { get; }

    protected IncidentBotDbContext Db { get; } = db;

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var incident = await Db.Incidents.LiveInChannelAsync(command.ChannelId, cancellationToken);
        return incident is null
            ? IncidentReplies.NoIncidentHere(Name)
            : await HandleAsync(incident, command, cancellationToken);
    }

    protected abstract Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken);
}
