using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Review;

/// <summary>
/// Renders the review modal for a person (with the buttons only when they may change the record) and shows it:
/// opened from the command, pushed forms over it, refreshed in place with views.update after each change.
/// </summary>
public sealed partial class ReviewScreen(ReviewSnapshots snapshots, Reviewers reviewers, ISlackApiClient slack, ILogger<ReviewScreen> logger)
{
    /// <summary>The page holding <paramref name="showEntry"/> when given (an entry just added or moved), else <paramref name="page"/>.</summary>
    public async Task<ModalView?> BuildAsync(int incidentId, string userId, int page, long? showEntry, string? notice, CancellationToken cancellationToken)
    {
        if (await snapshots.LoadAsync(incidentId, cancellationToken) is not { } snapshot)
        {
            return null;
        }

        var index = showEntry is { } id ? snapshot.Entries.Select(e => e.Entry.Id).ToList().IndexOf(id) : -1;
        if (index >= 0)
        {
            page = index / TimelineModal.EntriesPerPage;
        }

        var mayChange = await reviewers.MayChangeAsync(userId, cancellationToken);
        return TimelineModal.Build(snapshot, page, mayChange, reviewers.AnyoneMay ? null : reviewers.Who, notice);
    }

    /// <summary>Shows the record as it is now in the open review modal <paramref name="viewId"/>; a view closed meanwhile is left alone.</summary>
    public async Task RefreshAsync(string viewId, ReviewMetadata metadata, string userId, string? notice, long? showEntry, CancellationToken cancellationToken)
    {
        if (await BuildAsync(metadata.IncidentId, userId, metadata.Page, showEntry, notice, cancellationToken) is not { } view)
        {
            return;
        }

        try
        {
            await slack.Views.UpdateAsync(UpdateViewRequest.For(viewId, hash: null, view), cancellationToken);
        }
        catch (SlackApiException exception)
        {
            // The change is saved either way; the person sees it the next time they open the review.
            Log.RefreshFailed(logger, exception, viewId, exception.ErrorCode);
        }
    }

    /// <summary>A form over the review modal, with the trigger id of the click that asked for it.</summary>
    public async Task PushAsync(string? triggerId, ModalView form, CancellationToken cancellationToken)
    {
        if (triggerId is null)
        {
            return;
        }

        try
        {
            await slack.Views.PushAsync(OpenViewRequest.For(triggerId, form), cancellationToken);
        }
        catch (SlackApiException exception)
        {
            Log.PushFailed(logger, exception, exception.ErrorCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not refresh review view {ViewId}: {Error}")]
        public static partial void RefreshFailed(ILogger logger, Exception exception, string viewId, string error);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Could not push a review form: {Error}")]
        public static partial void PushFailed(ILogger logger, Exception exception, string error);
    }
}
