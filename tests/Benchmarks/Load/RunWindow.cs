using System.Diagnostics;

namespace Chat.Benchmarks.Load;

/// <summary>The phases of one run, as <see cref="Stopwatch"/> timestamps: warm-up, then the measured window.</summary>
internal readonly record struct RunWindow(long WarmupStart, long MeasureStart, long MeasureEnd)
{
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static RunWindow StartingNow(LoadOptions options)
    {
        var now = Stopwatch.GetTimestamp();
        var measureStart = now + Ticks(options.Warmup);
        return new RunWindow(now, measureStart, measureStart + Ticks(options.Duration));
    }

    public bool Contains(long timestamp) => timestamp >= MeasureStart && timestamp < MeasureEnd;

    public bool IsOver(long timestamp) => timestamp >= MeasureEnd;

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static long Microseconds(long ticks) => (long)(ticks * MicrosecondsPerTick);

    public static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
