using System.Globalization;

namespace IncidentBot.Incidents;

/// <summary>The four moments an incident's impact is measured by, in the order they must keep.</summary>
public enum KeyMoment
{
    Started,
    Detected,
    Mitigated,
    Resolved,
}

/// <summary>A key moment as the record knows it: set by hand, measured (<see cref="MeasuredAs"/> says from what), or unknown (no time).</summary>
public sealed record KeyMomentValue(KeyMoment Moment, DateTime? At, bool SetByHand, string? MeasuredAs)
{
    /// <summary>"set by hand", "measured: declared", "measured: closed", or "not set".</summary>
    public string Source => SetByHand ? "set by hand" : MeasuredAs is null ? "not set" : $"measured: {MeasuredAs}";
}

/// <summary>
/// The rules of key moments. Set by hand, a moment is what the lead said. Otherwise it is measured from the record
/// where the record knows it: detected is when the incident was declared, resolved when it was closed. When impact
/// started, and when it was mitigated, the record cannot tell: they are unknown until set. The moments keep their order
/// (started ≤ detected ≤ mitigated ≤ resolved), each as the draft uses it.
/// </summary>
public static class KeyMoments
{
    public const string TimeFormat = "yyyy-MM-dd HH:mm";

    public static IReadOnlyList<KeyMoment> All { get; } = [KeyMoment.Started, KeyMoment.Detected, KeyMoment.Mitigated, KeyMoment.Resolved];

    /// <summary>The word typed in <c>/incident moment &lt;word&gt;</c>: started, detected, mitigated, resolved.</summary>
    public static string Word(KeyMoment moment) => moment.ToString().ToLowerInvariant();

    public static KeyMoment? Parse(string word) =>
        All.Select(m => (KeyMoment?)m).FirstOrDefault(m => string.Equals(Word(m!.Value), word, StringComparison.OrdinalIgnoreCase));

    /// <summary>A time typed as <c>YYYY-MM-DD HH:MM</c>, in UTC (a trailing "UTC" or "Z" is allowed); null when it is not one.</summary>
    public static DateTime? ParseTime(string text)
    {
        var trimmed = text.Trim();
        foreach (var suffix in (string[])[" UTC", "UTC", "Z"])
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }

        return DateTime.TryParseExact(
            trimmed, [TimeFormat, "yyyy-MM-dd'T'HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? DateTime.SpecifyKind(at, DateTimeKind.Utc)
            : null;
    }

    public static string FormatTime(DateTime utc) => utc.ToString(TimeFormat + " 'UTC'", CultureInfo.InvariantCulture);

    public static DateTime? SetByHand(this Incident incident, KeyMoment moment) => moment switch
    {
        KeyMoment.Started => incident.ImpactStartedAt,
        KeyMoment.Detected => incident.DetectedAt,
        KeyMoment.Mitigated => incident.MitigatedAt,
        _ => incident.ResolvedAt,
    };

    public static void SetByHand(this Incident incident, KeyMoment moment, DateTime? at)
    {
        switch (moment)
        {
            case KeyMoment.Started: incident.ImpactStartedAt = at; break;
            case KeyMoment.Detected: incident.DetectedAt = at; break;
            case KeyMoment.Mitigated: incident.MitigatedAt = at; break;
            default: incident.ResolvedAt = at; break;
        }
    }

    public static bool AnySetByHand(this Incident incident) => All.Any(m => incident.SetByHand(m) is not null);

    /// <summary>
    /// The moment as the draft uses it: set by hand, else measured (detected: declared; resolved: closed, or
    /// <paramref name="resolvedIfOpen"/> for an incident not closed yet), else unknown.
    /// </summary>
    public static KeyMomentValue Of(Incident incident, KeyMoment moment, DateTime? resolvedIfOpen = null)
    {
        if (incident.SetByHand(moment) is { } byHand)
        {
            return new KeyMomentValue(moment, byHand, true, null);
        }

        return moment switch
        {
            KeyMoment.Detected => new KeyMomentValue(moment, incident.DeclaredAt, false, "declared"),
            KeyMoment.Resolved when (incident.ClosedAt ?? resolvedIfOpen) is { } closed => new KeyMomentValue(moment, closed, false, "closed"),
            _ => new KeyMomentValue(moment, null, false, null),
        };
    }

    /// <summary>
    /// Why <paramref name="moment"/> cannot be <paramref name="at"/>: the first moment it would come before (or after)
    /// against the order; null when it keeps the order.
    /// </summary>
    public static (KeyMomentValue Other, bool OtherIsEarlier)? OrderBrokenBy(Incident incident, KeyMoment moment, DateTime at)
    {
        foreach (var other in All.Where(m => m != moment).Select(m => Of(incident, m)).Where(v => v.At is not null))
        {
            if (other.Moment < moment && other.At > at)
            {
                return (other, true);
            }

            if (other.Moment > moment && other.At < at)
            {
                return (other, false);
            }
        }

        return null;
    }
}
