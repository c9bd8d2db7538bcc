using IncidentBot.Incidents;

namespace IncidentBot.PostMortems;

/// <summary>
/// What Impact says about the key moments, worded once for both renderings (each gives its own way to show a time):
/// how long impact lasted, each moment with where its time comes from (set by hand, or measured from the record), and
/// the times to detect, mitigate and resolve. Counted from the start of impact; from detection when that start was not set.
/// </summary>
public static class ImpactText
{
    /// <summary>"Impact lasted 1 h 05 min, from … (started, set by hand) to … (resolved, measured: closed)."; null without key moments.</summary>
    public static string? Summary(PostMortemDraft draft, Func<DateTime, string> time)
    {
        if (draft.KeyMoments.Count == 0)
        {
            return null;
        }

        var (from, started) = CountedFrom(draft);
        var resolved = Moment(draft, KeyMoment.Resolved);
        var end = resolved.At ?? draft.ResolvedAt;
        var to = $"to {time(end)} (resolved, {resolved.Source})";
        return started
            ? $"Impact lasted {IncidentDuration.Format(end - from.At!.Value)}, from {time(from.At!.Value)} (started, {from.Source}) {to}."
            : $"Impact lasted at least {IncidentDuration.Format(end - from.At!.Value)}, from {time(from.At!.Value)} (detected, {from.Source}) {to}: when it started was not set.";
    }

    /// <summary>One line per moment: "Detected: … (measured: declared); time to detect 10 min".</summary>
    public static IReadOnlyList<string> Moments(PostMortemDraft draft, Func<DateTime, string> time)
    {
        if (draft.KeyMoments.Count == 0)
        {
            return [];
        }

        var (from, started) = CountedFrom(draft);
        return
        [
            .. draft.KeyMoments.Select(moment =>
            {
                var name = moment.Moment.ToString();
                if (moment.At is not { } at)
                {
                    return $"{name}: not set";
                }

                var line = $"{name}: {time(at)} ({moment.Source})";
                return moment.Moment switch
                {
                    KeyMoment.Started => line,
                    KeyMoment.Detected when !started => line,
                    _ => $"{line}; time to {Verb(moment.Moment)} {IncidentDuration.Format(at - from.At!.Value)}",
                };
            }),
        ];
    }

    /// <summary>Says what the times count from.</summary>
    public static string? CountedFromNote(PostMortemDraft draft) =>
        draft.KeyMoments.Count == 0 ? null
        : CountedFrom(draft).Started ? "Times to detect, mitigate and resolve count from the start of impact."
        : "Times to mitigate and resolve count from detection, as the start of impact was not set.";

    private static (KeyMomentValue From, bool Started) CountedFrom(PostMortemDraft draft)
    {
        var started = Moment(draft, KeyMoment.Started);
        return started.At is not null ? (started, true) : (Moment(draft, KeyMoment.Detected) with { At = Moment(draft, KeyMoment.Detected).At ?? draft.DeclaredAt }, false);
    }

    private static KeyMomentValue Moment(PostMortemDraft draft, KeyMoment moment) =>
        draft.KeyMoments.FirstOrDefault(m => m.Moment == moment) ?? new KeyMomentValue(moment, null, false, null);

    private static string Verb(KeyMoment moment) => moment switch
    {
        KeyMoment.Detected => "detect",
        KeyMoment.Mitigated => "mitigate",
        _ => "resolve",
    };
}
