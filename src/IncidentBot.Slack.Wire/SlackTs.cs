using System.Globalization;

// The bot's payload namespace, so that its call sites did not change when the type moved here to be shared with the fake.
namespace IncidentBot.Slack.Payloads;

/// <summary>
/// A message timestamp: Slack's message id within a channel, "seconds.micros" (slack-protocol.md §9.4), kept as the
/// exact text Slack sent, never a double, and ordered (and equal) by its two integer parts. The bot and the fake Slack
/// share it, so both read a ts by one rule.
/// </summary>
/// <remarks>
/// The rule: 1 to 12 digits of Unix seconds (at most the last second of year 9999, so every ts is an instant), then
/// optionally a dot and 1 to 6 digits of fraction. Slack writes message ts with exactly six ("1355517523.000005");
/// the shorter forms are what Slack also takes in arguments such as <c>oldest</c> ("0", "1355517523.5", read as
/// .500000). "123." is refused: a dot promises the fraction, so it is neither form (the fake Slack answers such an
/// <c>oldest</c> with <c>invalid_ts_oldest</c>; the bot ignores such a message ts rather than guess).
/// </remarks>
public readonly struct SlackTs : IEquatable<SlackTs>, IComparable<SlackTs>
{
    private const int MicrosPerSecond = 1_000_000;
    private static readonly long MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly string? _value;

    private SlackTs(string? value, long seconds, int micros)
    {
        _value = value;
        Seconds = seconds;
        Micros = micros;
    }

    /// <summary>The text Slack sent; for a ts made here, "seconds.micros" with six digits.</summary>
    public string Value => _value ?? Format(Seconds, Micros);

    public long Seconds { get; }

    public int Micros { get; }

    /// <summary>The ts of a message posted at <paramref name="seconds"/> and <paramref name="micros"/>.</summary>
    public static SlackTs FromParts(long seconds, int micros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, MaxSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(micros);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(micros, MicrosPerSecond);
        return new SlackTs(null, seconds, micros);
    }

    /// <summary>The ts of an instant, to the microsecond (Slack's resolution); before 1970 there is none.</summary>
    public static SlackTs FromDateTimeOffset(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return FromParts(ticks / TimeSpan.TicksPerSecond, (int)(ticks % TimeSpan.TicksPerSecond / 10));
    }

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
        var fraction = dot < 0 ? "0".AsSpan() : value.AsSpan(dot + 1);
        if (secondsPart.Length is 0 or > 12 || fraction.Length is 0 or > 6
            || !IsDigits(secondsPart) || !IsDigits(fraction))
        {
            return false;
        }

        var seconds = long.Parse(secondsPart, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds > MaxSeconds)
        {
            return false;
        }

        // ".5" means 500000 µs: the fraction is read as if padded to six digits.
        var micros = int.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var digits = fraction.Length; digits < 6; digits++)
        {
            micros *= 10;
        }

        ts = new SlackTs(value, seconds, micros);
        return true;
    }

    /// <summary>The UTC instant: seconds plus the fraction as microseconds.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Micros * 10L);

    /// <summary>The next ts a channel can hand out after this one (Slack keeps them unique per channel).</summary>
    public SlackTs NextMicrosecond() =>
        Micros + 1 == MicrosPerSecond ? FromParts(Seconds + 1, 0) : FromParts(Seconds, Micros + 1);

    /// <summary>The form used in permalinks and history cursors: the ts without its dot, six digits of fraction.</summary>
    public string ToDigits() => string.Create(CultureInfo.InvariantCulture, $"{Seconds}{Micros:D6}");

    public int CompareTo(SlackTs other)
    {
        var bySeconds = Seconds.CompareTo(other.Seconds);
        return bySeconds != 0 ? bySeconds : Micros.CompareTo(other.Micros);
    }

    public bool Equals(SlackTs other) => Seconds == other.Seconds && Micros == other.Micros;

    public override bool Equals(object? obj) => obj is SlackTs other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Seconds, Micros);

    public static bool operator ==(SlackTs left, SlackTs right) => left.Equals(right);
    public static bool operator !=(SlackTs left, SlackTs right) => !left.Equals(right);
    public static bool operator <(SlackTs left, SlackTs right) => left.CompareTo(right) < 0;
    public static bool operator >(SlackTs left, SlackTs right) => left.CompareTo(right) > 0;
    public static bool operator <=(SlackTs left, SlackTs right) => left.CompareTo(right) <= 0;
    public static bool operator >=(SlackTs left, SlackTs right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value;

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789");

    private static string Format(long seconds, int micros) => string.Create(CultureInfo.InvariantCulture, $"{seconds}.{micros:D6}");
}
