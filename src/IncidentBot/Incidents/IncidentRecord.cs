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

    /// <summary>
    /// Sets a story field to Slack text (escaped, entities kept), or clears it with null so that the draft shows its
    /// prompt again; false when it already says that.
    /// </summary>
    public bool SetStory(Incident incident, StoryField field, string? slackText, string userId)
    {
        if (field.Get(incident) == slackText)
        {
            return false;
        }

        field.Set(incident, slackText);
        // The timeline notes that it was set, with its start: the whole text is the draft's section, not a second copy of it.
        timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId,
            slackText is null ? $"{field.Field} cleared" : $"{field.Field} set: {StoryPreview.Of(slackText)}");
        return true;
    }

    /// <summary>
    /// Sets several key moments at once (null clears one): all of them, or none when one is in the future or the
    /// moments as the draft would use them break their order. The order is checked on the result, so moving them
    /// all later works in any order. Returns the problems by moment; empty when done.
    /// </summary>
    public IReadOnlyDictionary<KeyMoment, string> SetMoments(Incident incident, IReadOnlyDictionary<KeyMoment, DateTime?> wanted, string userId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var changed = wanted.Where(w => incident.SetByHand(w.Key) != w.Value).ToList();
        var problems = changed.Where(w => w.Value > now).ToDictionary(
            w => w.Key,
            w => $"{KeyMoments.FormatTime(w.Value!.Value)} is in the future (it is {KeyMoments.FormatTime(now)} now): a key moment is one that has happened.");
        if (problems.Count > 0)
        {
            return problems;
        }

        var previous = changed.ToDictionary(w => w.Key, w => incident.SetByHand(w.Key));
        foreach (var (moment, at) in changed)
        {
            incident.SetByHand(moment, at);
        }

        foreach (var (moment, _) in changed)
        {
            var value = KeyMoments.Of(incident, moment);
            if (value.At is { } effective && KeyMoments.OrderBrokenBy(incident, moment, effective) is var (other, otherIsEarlier))
            {
                problems[moment] = OrderProblem(value, other, otherIsEarlier);
            }
        }

        if (problems.Count > 0)
        {
            foreach (var (moment, at) in previous)
            {
                incident.SetByHand(moment, at);
            }

            return problems;
        }

        foreach (var (moment, at) in changed)
        {
            timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, userId, Said(incident, moment, at));
        }

        return problems;
    }

    /// <summary>Sets one key moment by hand (or clears it with null); see <see cref="SetMoments"/>.</summary>
    public MomentChange SetMoment(Incident incident, KeyMoment moment, DateTime? at, string userId)
    {
        var word = KeyMoments.Word(moment);
        if (incident.SetByHand(moment) == at)
        {
            return MomentChange.Unchanged(at is null
                ? $"`{word}` was not set by hand for {incident.Reference}; nothing was changed."
                : $"`{word}` of {incident.Reference} is already {KeyMoments.FormatTime(at.Value)}; nothing was changed.");
        }

        return SetMoments(incident, new Dictionary<KeyMoment, DateTime?> { [moment] = at }, userId).TryGetValue(moment, out var problem)
            ? MomentChange.Refused(problem)
            : MomentChange.Done(Said(incident, moment, at));
    }

    public Task SaveAsync(CancellationToken cancellationToken) => timeline.SaveAsync(cancellationToken);

    private static string Said(Incident incident, KeyMoment moment, DateTime? at)
    {
        var word = KeyMoments.Word(moment);
        var value = KeyMoments.Of(incident, moment);
        return at is null
            ? $"Key moment cleared: {word} is now {(value.At is { } measured ? $"{KeyMoments.FormatTime(measured)} ({value.Source})" : "not set")}"
            : $"Key moment set by hand: {word} {KeyMoments.FormatTime(at.Value)}";
    }

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
public sealed record StoryField(string Name, string Field, string Example, Func<Incident, string?> Get, Action<Incident, string?> Set);

public sealed record MomentChange(bool Changed, bool IsRefusal, string Message)
{
    public static MomentChange Done(string said) => new(true, false, said);

    public static MomentChange Refused(string why) => new(false, true, why);

    public static MomentChange Unchanged(string why) => new(false, false, why);
}
