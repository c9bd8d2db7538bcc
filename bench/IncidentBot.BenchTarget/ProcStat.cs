using System.Globalization;

namespace IncidentBot.BenchTarget;

/// <summary>
/// /proc readings at the edges of a timed phase, as ../shared/bench's loadgen takes them (loadgen/ProcStat.cs), so
/// that both transports' figures mean the same: a process's utime+stime, its VmRSS and VmHWM, the machine's steal.
/// </summary>
internal static class ProcStat
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/*/stat times

    /// <summary>Machine-wide jiffies: user nice system idle iowait irq softirq steal …</summary>
    public static long[] Machine() =>
        [.. File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>utime + stime of a process, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields[0] is field 3, the state
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>A size line of /proc/PID/status (VmRSS, VmHWM), in MiB.</summary>
    public static long StatusMiB(int pid, string key) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
            .First();

    /// <summary>The share of the machine's time in <paramref name="column"/> (3 idle, 7 steal) between two readings.</summary>
    public static double Percent(long[] before, long[] after, int column)
    {
        double all = after.Zip(before, (a, b) => a - b).Take(8).Sum();
        return all == 0 ? 0 : Math.Round((after[column] - before[column]) * 100 / all, 1);
    }
}
