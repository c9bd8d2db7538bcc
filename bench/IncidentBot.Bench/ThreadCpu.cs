using System.Runtime.InteropServices;

namespace IncidentBot.Bench;

/// <summary>
/// The CPU time the calling thread has used (Linux): on a shared machine a stage's wall time mostly measures the other
/// work, and the process's CPU its GC and idle threads too; this counts only what the thread itself ran.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTime, out var now) != 0)
        {
            return double.NaN;
        }

        return (now.Seconds * 1e3) + (now.Nanoseconds / 1e6);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
