using IncidentBot.Incidents.Card;
using IncidentBot.Incidents.Updates;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Interactions;

// The card's forms, submitted. CardSubmission finds the live incident the form names and checks permission again (a
// form may have stayed open while the lead changed hands); a submission answers errors under its input (the form stays
// open, nothing changed) or makes the change and closes the form.

internal abstract class CardSubmission(IncidentBotDbContext db, Responders responders) : IViewSubmissionHandler
{
    /// <summary>The form's one input, where errors are shown.</summary>
    protected abstract string Block { get; }

    protected abstract string? RespondersOnly(Incident incident);

    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
    {
        if (CardForms.IncidentId(submission.View.PrivateMetadata) is not { } id)
        {
            return null;
        }

        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is not { Status: IncidentStatus.Live })
        {
            return Error($"INC-{id} is not live any more; nothing was changed.");
        }

        if (RespondersOnly(incident) is { } what && !await responders.MayAsync(submission.User.Id, cancellationToken))
        {
            return Error(responders.Refusal(what));
        }

        var change = await ApplyAsync(incident, submission.View.State, submission.User.Id, cancellationToken);
        return change.Changed ? null : Error(change.Message);
    }

    protected abstract Task<IncidentChange> ApplyAsync(Incident incident, ViewState? state, string userId, CancellationToken cancellationToken);

    protected ViewSubmissionResponse Error(string message) =>
        ViewSubmissionResponse.WithError(Block, message.Replace("`", "", StringComparison.Ordinal));
}

internal sealed class PostUpdateSubmission(IncidentBotDbContext db, Responders responders, StatusUpdates updates) : CardSubmission(db, responders)
{
    protected override string Block => IncidentCardIds.UpdateBlock;

    protected override string? RespondersOnly(Incident incident) => null;

    protected override async Task<IncidentChange> ApplyAsync(Incident incident, ViewState? state, string userId, CancellationToken cancellationToken)
    {
        // A modal's input is plain text: escaped here, as Slack escapes a command's text.
        var text = SlackText.Escape(TimelineWriter.FromCommand(state?.Get(IncidentCardIds.UpdateBlock, IncidentCardIds.UpdateAction)?.Value ?? ""));
        if (StatusUpdates.Problem(text) is { } problem)
        {
            return IncidentChange.Unchanged(problem);
        }

        await updates.PostAsync(incident, text, userId, cancellationToken);
        return IncidentChange.Done("Posted.");
    }
}

internal sealed class SetSeveritySubmission(IncidentBotDbContext db, Responders responders, IncidentSteering steering) : CardSubmission(db, responders)
{
    protected override string Block => IncidentCardIds.SeverityBlock;

    protected override string? RespondersOnly(Incident incident) => $"set the severity of {incident.Reference}";

    protected override Task<IncidentChange> ApplyAsync(Incident incident, ViewState? state, string userId, CancellationToken cancellationToken) =>
        steering.SetSeverityAsync(incident, state?.Get(IncidentCardIds.SeverityBlock, IncidentCardIds.SeverityAction)?.SelectedOption?.Value, userId, cancellationToken);
}

internal sealed class HandOverLeadSubmission(IncidentBotDbContext db, Responders responders, IncidentSteering steering) : CardSubmission(db, responders)
{
    protected override string Block => IncidentCardIds.LeadBlock;

    protected override string? RespondersOnly(Incident incident) => $"hand over the lead of {incident.Reference}";

    protected override Task<IncidentChange> ApplyAsync(Incident incident, ViewState? state, string userId, CancellationToken cancellationToken) =>
        state?.Get(IncidentCardIds.LeadBlock, IncidentCardIds.LeadAction)?.SelectedUser is { Length: > 0 } leader
            ? steering.HandOverLeadAsync(incident, leader, userId, cancellationToken)
            : Task.FromResult(IncidentChange.Unchanged("Pick the new Incident Leader; nothing was changed."));
}
