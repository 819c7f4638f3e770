using System.Diagnostics;
using System.Globalization;

namespace Chat.Benchmarks.Load;

/// <summary>
/// Waits before a run until the machine's CPUs are nearly idle. Work an earlier run left behind (events still being
/// consumed, the database writing back what it took in) would otherwise be charged to the next run: after
/// <c>create-group</c>, Messaging spends several seconds on the groups' events. Reads <c>/proc/stat</c>; where there is
/// none, returns at once.
/// </summary>
internal static class MachineQuiet
{
    /// <summary>The share of all CPUs' time, over one sample, below which the machine counts as quiet.</summary>
    public const double BusyBelow = 0.15;

    private const int QuietSamplesNeeded = 2;
    private const string ProcStat = "/proc/stat";
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Returns once <see cref="BusyBelow"/> held for a second, or after a minute without; null without <c>/proc/stat</c>.</summary>
    public static async Task<SettleReport?> WaitAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ProcStat))
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var previous = CpuTimes.Read();
        var quietSamples = 0;
        while (quietSamples < QuietSamplesNeeded && Stopwatch.GetElapsedTime(started) < Limit)
        {
            await Task.Delay(Sample, cancellationToken);
            var current = CpuTimes.Read();
            quietSamples = current.BusySince(previous) < BusyBelow ? quietSamples + 1 : 0;
            previous = current;
        }

        return new(Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), quietSamples == QuietSamplesNeeded);
    }

    /// <summary>The machine's CPU time so far, in clock ticks: all of it, and the part spent idle or waiting for I/O.</summary>
    private readonly record struct CpuTimes(long Total, long Idle)
    {
        /// <summary>The aggregate <c>cpu</c> line: user, nice, system, idle, iowait, irq, softirq, steal (guest time is within user).</summary>
        public static CpuTimes Read()
        {
            var fields = File.ReadLines(ProcStat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
            return new(ticks.Sum(), ticks[3] + ticks[4]);
        }

        public double BusySince(CpuTimes earlier)
        {
            var total = Total - earlier.Total;
            return total <= 0 ? 0 : 1 - (double)(Idle - earlier.Idle) / total;
        }
    }
}

/// <summary>How long a run waited for the machine to go quiet, and whether it did.</summary>
public sealed record SettleReport(double WaitedSeconds, bool Quiet);
