using System.Globalization;
using IncidentBot.Incidents.Card;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Interactions;

// The incident card's buttons (and the reminder's Post update). CardButton does what they share: it finds the live
// incident the button names, refuses someone who may not steer it, and answers the clicker alone (chat.postEphemeral).

/// <summary>A button on the card: its incident from the button's value, and the permission to act.</summary>
internal abstract class CardButton(IncidentBotDbContext db, Responders responders, ISlackApiClient slack) : IBlockActionHandler
{
    protected ISlackApiClient Slack { get; } = slack;

    /// <summary>What the button does, for a refusal ("close INC-1"); null: anyone in the channel may.</summary>
    protected abstract string? RespondersOnly(Incident incident);

    public async Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
    {
        var channel = payload.Channel?.Id ?? payload.Container?.ChannelId;
        if (channel is null || !int.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return;
        }

        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is not { Status: IncidentStatus.Live })
        {
            await TellAsync(channel, payload.User.Id, $"INC-{id} is not live any more, so nothing was changed.", cancellationToken);
            return;
        }

        if (RespondersOnly(incident) is { } what && !await responders.MayAsync(payload.User.Id, cancellationToken))
        {
            await TellAsync(channel, payload.User.Id, responders.Refusal(what), cancellationToken);
            return;
        }

        await HandleAsync(incident, channel, payload, cancellationToken);
    }

    protected abstract Task HandleAsync(Incident incident, string channel, BlockActions payload, CancellationToken cancellationToken);

    protected Task TellAsync(string channel, string userId, string text, CancellationToken cancellationToken) =>
        Slack.Chat.PostEphemeralAsync(new PostEphemeralRequest { Channel = channel, User = userId, Text = text }, cancellationToken);

    /// <summary>views.open at once: the click's trigger id works once and only for 3 seconds.</summary>
    protected async Task OpenAsync(string channel, BlockActions payload, ModalView view, CancellationToken cancellationToken)
    {
        try
        {
            await Slack.Views.OpenAsync(OpenViewRequest.For(payload.TriggerId ?? "", view), cancellationToken);
        }
        catch (SlackApiException exception)
        {
            await TellAsync(channel, payload.User.Id, $"Slack would not open the form ({exception.ErrorCode}). Try the button again; nothing was changed.", cancellationToken);
        }
    }
}

/// <summary>Post update: the update form. Anyone in the channel may post an update.</summary>
internal sealed class PostUpdateButton(IncidentBotDbContext db, Responders responders, ISlackApiClient slack) : CardButton(db, responders, slack)
{
    protected override string? RespondersOnly(Incident incident) => null;

    protected override Task HandleAsync(Incident incident, string channel, BlockActions payload, CancellationToken cancellationToken) =>
        OpenAsync(channel, payload, CardForms.Update(incident), cancellationToken);
}

/// <summary>Set severity: the configured severities to choose from, each with its description.</summary>
internal sealed class SetSeverityButton(IncidentBotDbContext db, Responders responders, ISlackApiClient slack, IOptions<IncidentsOptions> options) : CardButton(db, responders, slack)
{
    protected override string? RespondersOnly(Incident incident) => $"set the severity of {incident.Reference}";

    protected override Task HandleAsync(Incident incident, string channel, BlockActions payload, CancellationToken cancellationToken) =>
        OpenAsync(channel, payload, CardForms.Severity(incident, options.Value.Levels), cancellationToken);
}

/// <summary>Hand over lead: a person picker.</summary>
internal sealed class HandOverLeadButton(IncidentBotDbContext db, Responders responders, ISlackApiClient slack) : CardButton(db, responders, slack)
{
    protected override string? RespondersOnly(Incident incident) => $"hand over the lead of {incident.Reference}";

    protected override Task HandleAsync(Incident incident, string channel, BlockActions payload, CancellationToken cancellationToken) =>
        OpenAsync(channel, payload, CardForms.Lead(incident), cancellationToken);
}

/// <summary>Close: Slack's confirmation dialog (on the button) said what follows; the click closes it, as <c>/incident close</c> does.</summary>
internal sealed class CloseIncidentButton(IncidentBotDbContext db, Responders responders, ISlackApiClient slack, IncidentClosing closing) : CardButton(db, responders, slack)
{
    protected override string? RespondersOnly(Incident incident) => $"close {incident.Reference}";

    protected override async Task HandleAsync(Incident incident, string channel, BlockActions payload, CancellationToken cancellationToken) =>
        await TellAsync(channel, payload.User.Id, await closing.CloseAsync(incident, payload.User.Id, cancellationToken), cancellationToken);
}
