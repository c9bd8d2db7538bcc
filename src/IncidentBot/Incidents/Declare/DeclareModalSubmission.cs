using IncidentBot.Incidents.Commands;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Declare;

/// <summary>
/// The declare modal's submission: bad input is answered under its field and declares nothing; else the incident is
/// declared as <c>/incident start</c> declares it, and the modal closes.
/// </summary>
internal sealed partial class DeclareModalSubmission(
    IncidentDeclarations declarations,
    IResponseUrlClient responses,
    TimeProvider time,
    IOptions<IncidentsOptions> options,
    IOptions<TimelineOptions> timelineOptions,
    ILogger<DeclareModalSubmission> logger) : IViewSubmissionHandler
{
    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
    {
        var state = submission.View.State;
        string? Value(string block) => state?.Get(block, DeclareModal.ValueAction) is { } v ? v.Value ?? v.SelectedOption?.Value ?? v.SelectedUser : null;
        var errors = new Dictionary<string, string>();

        // Typed in a form: plain text. ReadTitle takes Slack text, so escape first.
        var (title, titleProblem) = IncidentDeclarations.ReadTitle(SlackText.Escape(Value(DeclareModal.TitleBlock) ?? ""));
        if (titleProblem is not null)
        {
            errors[DeclareModal.TitleBlock] = titleProblem;
        }

        var severityName = Value(DeclareModal.SeverityBlock);
        var severity = severityName is null ? null : options.Value.Severity(severityName);
        if (severityName is not null && severity is null)
        {
            errors[DeclareModal.SeverityBlock] = $"Choose one of {string.Join(", ", options.Value.SeverityNames)}.";
        }

        var lead = Value(DeclareModal.LeadBlock);
        if (lead is not null && !(lead.StartsWith('U') || lead.StartsWith('W')))
        {
            errors[DeclareModal.LeadBlock] = "Choose a person to lead the incident.";
        }

        if (errors.Count > 0)
        {
            return ViewSubmissionResponse.WithErrors(errors);
        }

        var context = ModalOrigin.Parse(submission.View.PrivateMetadata);
        var description = Value(DeclareModal.DescriptionBlock)?.Trim();
        var declaration = new Declaration(title!, submission.User.Id, context.ChannelId)
        {
            ResponseUrl = context.ResponseUrl,
            LeaderUserId = lead,
            Severity = severity?.Name,
            Description = string.IsNullOrEmpty(description) ? null : SlackText.Escape(description),
            IsPrivate = Value(DeclareModal.VisibilityBlock) == DeclareModal.Private,
            FromMessage = context is { MessageTs: { } ts, ChannelId: { } channel }
                ? new DeclaredFrom(channel, ts, context.MessageUserId, context.MessageText ?? "", SlackTsTime(ts))
                : null,
        };
        var outcome = await declarations.DeclareAsync(declaration, cancellationToken);
        if (outcome.Incident is not { } incident)
        {
            return ViewSubmissionResponse.WithError(DeclareModal.TitleBlock, outcome.Live is { } live
                ? $"{live.Reference} {live.Title} is already live in this channel; close it before declaring another here."
                : outcome.Problem!.Replace("`", "", StringComparison.Ordinal));
        }

        if (!incident.HasDedicatedChannel && context.ResponseUrl is { } responseUrl)
        {
            await AnnounceInPlaceAsync(incident, responseUrl, cancellationToken);
        }

        return null;
    }

    /// <summary>An incident kept where it was declared is announced there, as <c>/incident start</c>'s answer is.</summary>
    private async Task AnnounceInPlaceAsync(Incident incident, string responseUrl, CancellationToken cancellationToken)
    {
        try
        {
            await responses.RespondAsync(responseUrl, new ResponseUrlMessage { ResponseType = ResponseTypes.InChannel, Text = IncidentAnnouncement.Text(incident, timelineOptions.Value) }, cancellationToken);
        }
        catch (Exception exception) when (exception is SlackApiException or HttpRequestException or TaskCanceledException)
        {
            // The incident is declared and its channel shows it on the timeline; only the announcement is lost.
            Log.NotAnnounced(logger, exception, incident.Id);
        }
    }

    private DateTime SlackTsTime(string ts) =>
        SlackTs.TryParse(ts, out var parsed) ? parsed.ToDateTimeOffset().UtcDateTime : time.GetUtcNow().UtcDateTime;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3400, Level = LogLevel.Warning, Message = "Incident {IncidentId} declared from the modal, but its announcement could not be posted")]
        public static partial void NotAnnounced(ILogger logger, Exception exception, int incidentId);
    }
}
