using Hangfire;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Commands;

/// <summary><c>/incident close</c>: ends the incident of this channel at once, records when, and tells what follows (the draft).</summary>
internal sealed class CloseIncidentCommand(IncidentBotDbContext db, IncidentClosing closing, Responders responders) : IncidentChannelCommand(db)
{
    public const string Command = "close";

    /// <summary>The lifecycle entry a close records (what the sweep looks for too).</summary>
    public const string Entry = "Incident resolved";

    protected override string Name => Command;

    protected override async Task<SlashCommandResponse> HandleAsync(Incident incident, SlashCommand command, CancellationToken cancellationToken) =>
        !await responders.MayAsync(command.UserId, cancellationToken)
            ? SlashCommandResponse.Ephemeral(responders.Refusal($"close {incident.Reference}"))
            : SlashCommandResponse.Ephemeral(await closing.CloseAsync(incident, command.UserId, cancellationToken));
}
