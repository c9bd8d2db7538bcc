using IncidentBot.Storage;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// A sub-command that acts on the live incident of the channel it is typed in (or, when it <see cref="CompletesTheRecord"/>,
/// on the one closed there last), and answers a clear error anywhere else.
/// </summary>
internal abstract class IncidentChannelCommand(IncidentBotDbContext db) : ISlashCommandHandler
{
    protected abstract string Name { get; }

    /// <summary>True for commands that complete the incident's record (its story, its key moments): they also work after the close.</summary>
    protected virtual bool CompletesTheRecord => false;

    protected IncidentBotDbContext Db { get; } = db;

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var incident = CompletesTheRecord
            ? await Db.Incidents.LiveOrLastClosedInChannelAsync(command.ChannelId, cancellationToken)
            : await Db.Incidents.LiveInChannelAsync(command.ChannelId, cancellationToken);
        return incident is null
            ? CompletesTheRecord ? IncidentReplies.NoIncidentRecordHere(Name) : IncidentReplies.NoIncidentHere(Name)
            : await HandleAsync(incident, command, cancellationToken);
    }

    protected abstract Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken);
}
