using System.Globalization;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// A Slack message timestamp ("<unix seconds>.<6 digits>"). Slack treats it as an id, so it is
/// kept as integers and compared as (seconds, micro): a double would lose the last digits.
/// </summary>
public readonly record struct SlackTs(long Seconds, int Micro) : IComparable<SlackTs>
{
    private const int MicrosPerSecond = 1_000_000;

    public static SlackTs FromTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new SlackTs(ticks / TimeSpan.TicksPerSecond, (int)(ticks % TimeSpan.TicksPerSecond / 10));
    }

    /// <summary>Parses the forms Slack accepts in paging arguments: "123", "123.4", "123.456789".</summary>
    public static bool TryParse(string? value, out SlackTs ts)
    {
        ts = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var dot = value.IndexOf('.');
        var secondsPart = dot < 0 ? value : value[..dot];
        var microPart = dot < 0 ? "0" : value[(dot + 1)..];
        if (secondsPart.Length is 0 or > 12 || microPart.Length is 0 or > 6
            || !secondsPart.All(char.IsAsciiDigit) || !microPart.All(char.IsAsciiDigit))
        {
            return false;
        }

        var seconds = long.Parse(secondsPart, CultureInfo.InvariantCulture);
        var micro = int.Parse(microPart.PadRight(6, '0'), CultureInfo.InvariantCulture);
        ts = new SlackTs(seconds, micro);
        return true;
    }

    public static SlackTs Parse(string value) =>
        TryParse(value, out var ts) ? ts : throw new FormatException($"'{value}' is not a Slack ts.");

    public SlackTs NextMicrosecond() =>
        Micro + 1 == MicrosPerSecond ? new SlackTs(Seconds + 1, 0) : this with { Micro = Micro + 1 };

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Micro * 10L);

    public int CompareTo(SlackTs other) =>
        Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Micro.CompareTo(other.Micro);

    public static bool operator <(SlackTs left, SlackTs right) => left.CompareTo(right) < 0;
    public static bool operator >(SlackTs left, SlackTs right) => left.CompareTo(right) > 0;
    public static bool operator <=(SlackTs left, SlackTs right) => left.CompareTo(right) <= 0;
    public static bool operator >=(SlackTs left, SlackTs right) => left.CompareTo(right) >= 0;

    /// <summary>The form used in permalinks and history cursors: the ts without its dot.</summary>
    public string ToDigits() => string.Create(CultureInfo.InvariantCulture, $"{Seconds}{Micro:D6}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Micro:D6}");
}
