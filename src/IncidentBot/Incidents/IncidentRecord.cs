using IncidentBot.Timeline;

namespace IncidentBot.Incidents;

/// <summary>
/// Completes an incident's record: its story fields (Description, Impact, Meeting) and its key moments, each change
/// noted on the timeline. One place for the commands and the review modal, which set the same things the same way.
/// The caller commits with <see cref="SaveAsync"/>.
/// </summary>
public sealed class IncidentRecord(TimelineWriter timeline, TimeProvider time)
{
    public static IReadOnlyList<StoryField> Fields { get; } =
    [
        new("describe", "Description", "The consumer API answered 500s to most requests after a migration", i => i.Description, (i, text) => i.Description = text),
        new("impact", "Impact", "Most consumer app users could not load their feed for 40 minutes", i => i.Impact, (i, text) => i.Impact = text),
        new("meeting", "Meeting", "waived: Henry Clifford", i => i.Meeting, (i, text) => i.Meeting = text),
    ];

    /// <summary>Sets a story field to Slack text (escaped, entities kept); false when it already says that.</summary>
    public bool SetStory(Incident incident, StoryField field, string slackText, string userId)
    {
        if (field.Get(incident) == slackText)
        {
            return false;
        }

        field.Set(incident, slackText);
        // The timeline notes that it was set, with its start: the whole text is the draft's section, not a second copy of it.
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, $"{field.Field} set: {StoryPreview.Of(slackText)}");
        return true;
    }

    /// <summary>
    /// Sets a key moment by hand (or clears it with null). Refused when it is in the future or breaks the order
    /// started ≤ detected ≤ mitigated ≤ resolved, checked on the moment as the draft would use it.
    /// </summary>
    public MomentChange SetMoment(Incident incident, KeyMoment moment, DateTime? at, string userId)
    {
        var word = KeyMoments.Word(moment);
        var now = time.GetUtcNow().UtcDateTime;
        if (at > now)
        {
            return MomentChange.Refused($"{KeyMoments.FormatTime(at.Value)} is in the future (it is {KeyMoments.FormatTime(now)} now): a key moment is one that has happened.");
        }

        var previous = incident.SetByHand(moment);
        if (previous == at)
        {
            return MomentChange.Unchanged(at is null
                ? $"`{word}` was not set by hand for {incident.Reference}; nothing was changed."
                : $"`{word}` of {incident.Reference} is already {KeyMoments.FormatTime(at.Value)}; nothing was changed.");
        }

        incident.SetByHand(moment, at);
        var value = KeyMoments.Of(incident, moment);
        if (value.At is { } effective && KeyMoments.OrderBrokenBy(incident, moment, effective) is var (other, otherIsEarlier))
        {
            incident.SetByHand(moment, previous);
            return MomentChange.Refused(OrderProblem(value, other, otherIsEarlier));
        }

        var said = at is null
            ? $"Key moment cleared: {word} is now {(value.At is { } measured ? $"{KeyMoments.FormatTime(measured)} ({value.Source})" : "not set")}"
            : $"Key moment set by hand: {word} {KeyMoments.FormatTime(at.Value)}";
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, said);
        return MomentChange.Done(said);
    }

    public Task SaveAsync(CancellationToken cancellationToken) => timeline.SaveAsync(cancellationToken);

    private static string OrderProblem(KeyMomentValue value, KeyMomentValue other, bool otherIsEarlier)
    {
        var word = KeyMoments.Word(value.Moment);
        var otherWord = KeyMoments.Word(other.Moment);
        var at = value.SetByHand ? KeyMoments.FormatTime(value.At!.Value) : $"{KeyMoments.FormatTime(value.At!.Value)} ({value.Source})";
        var hint = other.SetByHand ? "" : $" If that time is wrong, set `{otherWord}` by hand first.";
        return $"`{word}` at {at} would come {(otherIsEarlier ? "before" : "after")} `{otherWord}` ({KeyMoments.FormatTime(other.At!.Value)}, {other.Source}): " +
               $"the moments keep the order started, detected, mitigated, resolved.{hint}";
    }
}

/// <summary>A story field: its sub-command word, the draft section it fills, an example, and how to read and write it.</summary>
public sealed record StoryField(string Name, string Field, string Example, Func<Incident, string?> Get, Action<Incident, string> Set);

public sealed record MomentChange(bool Changed, bool IsRefusal, string Message)
{
    public static MomentChange Done(string said) => new(true, false, said);

    public static MomentChange Refused(string why) => new(false, true, why);

    public static MomentChange Unchanged(string why) => new(false, false, why);
}
