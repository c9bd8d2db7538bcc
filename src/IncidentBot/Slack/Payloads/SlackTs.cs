using System.Globalization;

namespace IncidentBot.Slack.Payloads;

/// <summary>
/// A message timestamp: Slack's message id within a channel, kept as the exact string Slack sent
/// ("seconds.micros"), never a double, and ordered by its two integer parts (slack-protocol.md §9.4).
/// </summary>
public readonly record struct SlackTs : IComparable<SlackTs>
{
    private SlackTs(string value, long seconds, int micros)
    {
        Value = value;
        Seconds = seconds;
        Micros = micros;
    }

    public string Value { get; }
    public long Seconds { get; }
    public int Micros { get; }

    /// <summary>The UTC instant: seconds plus the fraction as microseconds.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Micros * 10L);

    public static SlackTs Parse(string value) =>
        TryParse(value, out var ts) ? ts : throw new FormatException($"'{value}' is not a Slack ts (expected seconds.micros).");

    public static bool TryParse(string? value, out SlackTs ts)
    {
        ts = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var secondsPart = dot < 0 ? value.AsSpan() : value.AsSpan(0, dot);
        var fraction = dot < 0 ? [] : value.AsSpan(dot + 1);
        if (fraction.Length > 6
            || !long.TryParse(secondsPart, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (fraction.Length > 0 && !int.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return false;
        }

        // "…​.5" means 500000 µs: pad the fraction to six digits before reading it.
        var micros = fraction.Length == 0 ? 0 : int.Parse(fraction.ToString().PadRight(6, '0'), CultureInfo.InvariantCulture);
        ts = new SlackTs(value, seconds, micros);
        return true;
    }

    public static SlackTs FromDateTimeOffset(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var micros = (int)(ticks % TimeSpan.TicksPerSecond / 10);
        return Parse(string.Create(CultureInfo.InvariantCulture, $"{seconds}.{micros:D6}"));
    }

    public int CompareTo(SlackTs other)
    {
        var bySeconds = Seconds.CompareTo(other.Seconds);
        return bySeconds != 0 ? bySeconds : Micros.CompareTo(other.Micros);
    }

    public static bool operator <(SlackTs left, SlackTs right) => left.CompareTo(right) < 0;
    public static bool operator >(SlackTs left, SlackTs right) => left.CompareTo(right) > 0;
    public static bool operator <=(SlackTs left, SlackTs right) => left.CompareTo(right) <= 0;
    public static bool operator >=(SlackTs left, SlackTs right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value;
}
