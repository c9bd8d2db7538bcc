using IncidentBot.Incidents;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Review;

// The forms pushed over the review modal. A submission either answers errors under its inputs (the form stays open
// and nothing changed) or saves, refreshes the review modal below it and closes the form.

/// <summary>The entry form: saves the edit (or the added entry) through <see cref="TimelineReview"/>.</summary>
internal sealed class SaveEntrySubmission(Reviewers reviewers, ReviewScreen screen, ReviewSnapshots snapshots, TimelineReview review) : IViewSubmissionHandler
{
    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
    {
        if (ReviewMetadata.Parse(submission.View.PrivateMetadata) is not { } metadata)
        {
            return null;
        }

        var userId = submission.User.Id;
        if (!await reviewers.MayChangeAsync(userId, cancellationToken))
        {
            return ViewSubmissionResponse.WithError(EntryForm.DateBlock, $"Only {reviewers.Who} may change this record; nothing was changed.");
        }

        var snapshot = await snapshots.LoadAsync(metadata.IncidentId, cancellationToken);
        var entry = snapshot?.Entries.FirstOrDefault(e => e.Entry.Id == metadata.EntryId);
        if (snapshot is null || (metadata.EntryId is not null && entry is null))
        {
            return ViewSubmissionResponse.WithError(EntryForm.DateBlock, "That entry is no longer on the timeline; nothing was changed.");
        }

        var values = EntryForm.Read(submission.View.State, entry);
        if (values.Errors.Count > 0)
        {
            return ViewSubmissionResponse.WithErrors(values.Errors);
        }

        var change = values.Change;
        var outcome = entry is null
            ? await review.AddAsync(metadata.IncidentId, userId, change.Text!, change.OccurredAt!.Value, change.Section!.Value, cancellationToken)
            : await review.EditAsync(metadata.IncidentId, entry.Entry.Id, userId, change, cancellationToken);
        if (outcome.IsRefusal)
        {
            var hasText = submission.View.State?.Get(EntryForm.TextBlock, EntryForm.TextAction) is not null;
            return ViewSubmissionResponse.WithError(outcome.Field switch
            {
                ReviewField.Time => EntryForm.TimeBlock,
                ReviewField.Section => EntryForm.SectionBlock,
                _ => hasText ? EntryForm.TextBlock : EntryForm.DateBlock,
            }, outcome.Message!);
        }

        var notice = outcome.Changed
            ? $":white_check_mark: {(entry is null ? "Entry added" : "Entry saved")}.{ReviewNotices.AfterChange(snapshot.Incident)}"
            : $":information_source: {outcome.Message}";
        await screen.RefreshAsync(metadata.RootViewId ?? submission.View.PreviousViewId ?? "", metadata, userId, notice, outcome.Entry?.Id, cancellationToken);
        return null;
    }
}

/// <summary>The story form: Description, Impact, Meeting and the key moments, through <see cref="IncidentRecord"/>, all or nothing.</summary>
internal sealed class SaveStorySubmission(Reviewers reviewers, ReviewScreen screen, ReviewSnapshots snapshots, IncidentBotDbContext db, IncidentRecord record) : IViewSubmissionHandler
{
    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
    {
        if (ReviewMetadata.Parse(submission.View.PrivateMetadata) is not { } metadata
            || await snapshots.LoadAsync(metadata.IncidentId, cancellationToken) is not { } snapshot
            || await db.Incidents.FirstOrDefaultAsync(i => i.Id == metadata.IncidentId, cancellationToken) is not { } incident)
        {
            return null;
        }

        var userId = submission.User.Id;
        var firstBlock = StoryForm.FieldBlock(IncidentRecord.Fields[0]);
        if (!await reviewers.MayChangeAsync(userId, cancellationToken))
        {
            return ViewSubmissionResponse.WithError(firstBlock, $"Only {reviewers.Who} may change this record; nothing was changed.");
        }

        var values = StoryForm.Read(submission.View.State, snapshot);
        if (values.Errors.Count > 0)
        {
            return ViewSubmissionResponse.WithErrors(values.Errors);
        }

        var problems = record.SetMoments(incident, values.Moments, userId);
        if (problems.Count > 0)
        {
            return ViewSubmissionResponse.WithErrors(problems.ToDictionary(p => StoryForm.MomentBlock(p.Key), p => p.Value.Replace("`", "", StringComparison.Ordinal)));
        }

        var changed = values.Fields.Count(f => record.SetStory(incident, f.Key, f.Value, userId));
        var momentsChanged = values.Moments.Count(m => snapshot.Incident.SetByHand(m.Key) != m.Value);
        await record.SaveAsync(cancellationToken);
        var notice = changed + momentsChanged == 0
            ? ":information_source: Nothing was changed: the story and the key moments already say that."
            : $":white_check_mark: Story and key moments saved.{ReviewNotices.AfterChange(incident)}";
        await screen.RefreshAsync(metadata.RootViewId ?? submission.View.PreviousViewId ?? "", metadata, userId, notice, null, cancellationToken);
        return null;
    }
}

internal static class ReviewNotices
{
    public static string AfterChange(Incident incident) => incident.Status == IncidentStatus.Closed
        ? " Its published draft does not show this yet: *Publish revised draft* posts the next version."
        : " The draft shows it when the incident is closed.";
}
