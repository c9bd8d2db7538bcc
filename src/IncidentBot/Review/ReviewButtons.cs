using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Review;

// The review modal's buttons. Each is a small handler of its own; ReviewButton does what they share: it reads which
// incident the modal shows and refuses a change from someone who may not make it (a hand-made payload included).

/// <summary>A button in the review modal: its incident and page from the view, and the permission to change.</summary>
internal abstract class ReviewButton(Reviewers reviewers, ReviewScreen screen) : IBlockActionHandler
{
    protected ReviewScreen Screen { get; } = screen;

    /// <summary>False for buttons that only look (paging): those anyone who can see the modal may press.</summary>
    protected virtual bool Changes => true;

    public async Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
    {
        if (payload.View is not { } view || ReviewMetadata.Parse(view.PrivateMetadata) is not { } metadata)
        {
            return;
        }

        if (Changes && !await reviewers.MayChangeAsync(payload.User.Id, cancellationToken))
        {
            await Screen.RefreshAsync(view.Id, metadata, payload.User.Id, $":no_entry: Only {reviewers.Who} may change this record.", null, cancellationToken);
            return;
        }

        await HandleAsync(action, payload, view, metadata, cancellationToken);
    }

    protected abstract Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken);

    protected static long? EntryId(BlockAction action) =>
        long.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>Previous and Next: another page of a long timeline, in the same view.</summary>
internal sealed class PageButton(Reviewers reviewers, ReviewScreen screen) : ReviewButton(reviewers, screen)
{
    protected override bool Changes => false;

    protected override Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken) =>
        int.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var page)
            ? Screen.RefreshAsync(view.Id, metadata with { Page = page }, payload.User.Id, null, null, cancellationToken)
            : Task.CompletedTask;
}

/// <summary>Edit (an entry) and Add entry: the entry form, pushed over the modal.</summary>
internal sealed class EntryFormButton(Reviewers reviewers, ReviewScreen screen, ReviewSnapshots snapshots, TimeProvider time) : ReviewButton(reviewers, screen)
{
    protected override async Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken)
    {
        if (await snapshots.LoadAsync(metadata.IncidentId, cancellationToken) is not { } snapshot)
        {
            return;
        }

        var entryId = action.ActionId == ReviewIds.Edit ? EntryId(action) : null;
        var entry = snapshot.Entries.FirstOrDefault(e => e.Entry.Id == entryId);
        if (action.ActionId == ReviewIds.Edit && entry is not { Entry.Removed: false })
        {
            await Screen.RefreshAsync(view.Id, metadata, payload.User.Id, ":warning: That entry was removed or changed meanwhile; here is the record as it is now.", null, cancellationToken);
            return;
        }

        var form = EntryForm.Build(metadata with { RootViewId = view.RootViewId ?? view.Id, EntryId = entry?.Entry.Id }, entry, Minute(time.GetUtcNow().UtcDateTime), snapshot.Name);
        await Screen.PushAsync(payload.TriggerId, form, cancellationToken);
    }

    private static DateTime Minute(DateTime at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMinute));
}

/// <summary>Remove and Restore: the entry leaves the draft (kept in the record, shown as removed) or comes back.</summary>
internal sealed class RemoveEntryButton(Reviewers reviewers, ReviewScreen screen, TimelineReview review) : ReviewButton(reviewers, screen)
{
    protected override async Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken)
    {
        if (EntryId(action) is not { } entryId)
        {
            return;
        }

        var outcome = action.ActionId == ReviewIds.Restore
            ? await review.RestoreAsync(metadata.IncidentId, entryId, payload.User.Id, cancellationToken)
            : await review.RemoveAsync(metadata.IncidentId, entryId, payload.User.Id, cancellationToken);
        await Screen.RefreshAsync(view.Id, metadata, payload.User.Id, outcome.Message is { } said ? $":information_source: {said}" : null, null, cancellationToken);
    }
}

/// <summary>Story and key moments: their form, pushed over the modal.</summary>
internal sealed class StoryFormButton(Reviewers reviewers, ReviewScreen screen, ReviewSnapshots snapshots) : ReviewButton(reviewers, screen)
{
    protected override async Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken)
    {
        if (await snapshots.LoadAsync(metadata.IncidentId, cancellationToken) is { } snapshot)
        {
            await Screen.PushAsync(payload.TriggerId, StoryForm.Build(metadata with { RootViewId = view.RootViewId ?? view.Id }, snapshot), cancellationToken);
        }
    }
}

/// <summary>Publish revised draft: the next version, under the same rules as <c>/incident publish</c>.</summary>
internal sealed class PublishButton(Reviewers reviewers, ReviewScreen screen, IncidentBotDbContext db, RevisedDrafts drafts) : ReviewButton(reviewers, screen)
{
    protected override async Task HandleAsync(BlockAction action, BlockActions payload, ViewPayload view, ReviewMetadata metadata, CancellationToken cancellationToken)
    {
        if (await db.Incidents.FirstOrDefaultAsync(i => i.Id == metadata.IncidentId, cancellationToken) is not { } incident)
        {
            return;
        }

        var outcome = await drafts.PublishAsync(incident, cancellationToken);
        await Screen.RefreshAsync(view.Id, metadata, payload.User.Id, (outcome.Queued ? ":white_check_mark: " : ":information_source: ") + outcome.Message, null, cancellationToken);
    }
}
