using System.Diagnostics;
using IncidentBot.SlackFake.SocketMode;

namespace IncidentBot.BenchTarget;

/// <summary>
/// Socket Mode's counterpart of ../shared/bench's loadgen (loadgen/Load.cs), closed loop: <c>concurrency</c> workers,
/// each with one envelope in flight, so that that many are unacknowledged at any time (32, like 32 HTTP connections).
/// The fake Slack pushes them on the bot's connections and redelivers what is not acked within 3 s, as Slack does.
/// Its JSON line has the loadgen's fields ("server" is the bot; "loadgen" is this process: the generator and the
/// fake) and adds how many envelopes were never acked and how many were acked only after a redelivery.
/// </summary>
internal sealed class SocketLoad(FakeSocketMode socketMode, int botPid)
{
    private long _ackedMessages;
    private long _ackedReactions;

    /// <summary>Messages acked since this target started, warm-ups included: what the bot must have stored.</summary>
    public long AckedMessages => Interlocked.Read(ref _ackedMessages);

    public async Task<Dictionary<string, object?>> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, double reactionShare)
    {
        var mix = new EventMix(reactionShare, DateTimeOffset.UtcNow);
        var (messagesBefore, reactionsBefore) = (AckedMessages, Interlocked.Read(ref _ackedReactions));
        if (warmup > TimeSpan.Zero)
        {
            await PhaseAsync(mix, concurrency, warmup);
        }

        var machineBefore = ProcStat.Machine();
        var botCpuBefore = ProcStat.CpuSeconds(botPid);
        var ownCpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var workers = await PhaseAsync(mix, concurrency, duration);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var ownCpu = (Environment.CpuUsage.TotalTime - ownCpuBefore).TotalSeconds;
        var botCpu = ProcStat.CpuSeconds(botPid) - botCpuBefore;
        var machine = ProcStat.Machine();

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        long deliveries = latencies.LongLength;
        long unacked = workers.Sum(w => w.Unacked);
        long redelivered = workers.Sum(w => w.Redelivered);
        long errors = unacked + redelivered;
        double PerDeliveryUs(double seconds) => deliveries == 0 ? 0 : Math.Round(seconds * 1e6 / deliveries, 1);
        return new Dictionary<string, object?>
        {
            ["url"] = "socket-mode",
            ["concurrency"] = concurrency,
            ["requests"] = deliveries,
            ["errors"] = errors,
            ["unacked"] = unacked,
            ["redelivered"] = redelivered,
            ["rps"] = Math.Round((deliveries - errors) / elapsed.TotalSeconds, 1),
            ["p50_ms"] = Percentile(latencies, 0.50),
            ["p90_ms"] = Percentile(latencies, 0.90),
            ["p99_ms"] = Percentile(latencies, 0.99),
            ["max_ms"] = deliveries == 0 ? 0 : Ms(latencies[^1]),
            ["elapsed_s"] = Math.Round(elapsed.TotalSeconds, 3),
            ["stopped_by"] = "time",
            ["server_cpu_us_per_req"] = PerDeliveryUs(botCpu),
            ["loadgen_cpu_us_per_req"] = PerDeliveryUs(ownCpu),
            ["server_rss_mib"] = ProcStat.StatusMiB(botPid, "VmRSS"),
            ["server_peak_rss_mib"] = ProcStat.StatusMiB(botPid, "VmHWM"),
            ["machine_idle_pct"] = ProcStat.Percent(machineBefore, machine, 3),
            ["machine_steal_pct"] = ProcStat.Percent(machineBefore, machine, 7),
            // This call's warm-up and timed phases together, as the loadgen counts them.
            ["acked_messages"] = AckedMessages - messagesBefore,
            ["acked_reactions"] = Interlocked.Read(ref _ackedReactions) - reactionsBefore,
            ["envelopes_sent"] = socketMode.EnvelopesSent,
        };
    }

    private async Task<Worker[]> PhaseAsync(EventMix mix, int concurrency, TimeSpan length)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => new Worker()).ToArray();
        await Task.WhenAll(workers.Select(w => Task.Run(() => LoopAsync(w, mix, deadline))));
        return workers;
    }

    private async Task LoopAsync(Worker worker, EventMix mix, long deadline)
    {
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var (eventCallback, isReaction) = mix.Next();
            var start = Stopwatch.GetTimestamp();
            var delivery = await socketMode.DeliverEventAsync(eventCallback);
            worker.Latencies.Add(Stopwatch.GetTimestamp() - start);
            if (!delivery.Succeeded)
            {
                worker.Unacked++;
                continue;
            }

            // Acked, so it counts as one the bot must have stored, even when the ack came only after a redelivery.
            Interlocked.Increment(ref isReaction ? ref _ackedReactions : ref _ackedMessages);
            if (delivery.Attempts.Count > 1)
            {
                worker.Redelivered++;
            }
        }
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Ms(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)]);

    private static double Ms(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(1 << 16);

        public long Unacked { get; set; }

        public long Redelivered { get; set; }
    }
}
