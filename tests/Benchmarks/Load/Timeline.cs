namespace Chat.Benchmarks.Load;

/// <summary>
/// The measured window cut into equal intervals, each with its own latency histogram that every connection records
/// into (by the time a response completed): where in the run the slow requests were. A p99 made by a few stalls that
/// hold up every connection at once looks different here from one made by a steady spread of slow requests.
/// </summary>
internal sealed class Timeline
{
    private readonly RunWindow window;
    private readonly long intervalTicks;
    private readonly TimeSpan interval;
    private readonly LatencyHistogram[] intervals;

    public Timeline(RunWindow window, TimeSpan interval)
    {
        this.window = window;
        this.interval = interval;
        intervalTicks = Math.Max(1, RunWindow.Ticks(interval));
        intervals = [.. Enumerable.Range(0, (int)Math.Ceiling((double)(window.MeasureEnd - window.MeasureStart) / intervalTicks))
            .Select(_ => new LatencyHistogram())];
    }

    /// <summary>Records a response that completed at <paramref name="end"/>; one outside the measured window is left out.</summary>
    public void Record(long end, long microseconds)
    {
        if (window.Contains(end))
        {
            intervals[(end - window.MeasureStart) / intervalTicks].RecordShared(microseconds);
        }
    }

    /// <summary>One point per interval, starting <paramref name="offset"/> into the report (a later round's measured time).</summary>
    public IEnumerable<TimelinePoint> Points(TimeSpan offset) => intervals.Select((histogram, index) =>
    {
        var seconds = Math.Min(interval.TotalSeconds, RunWindow.Seconds(window.MeasureEnd - window.MeasureStart) - index * interval.TotalSeconds);
        return new TimelinePoint(
            Math.Round((offset + index * interval).TotalSeconds, 3),
            histogram.Count,
            Math.Round(histogram.Count / seconds, 1),
            LatencySummary.Of(histogram));
    });
}

/// <summary>One interval of a <see cref="Timeline"/>: when it starts in the measured time, and what completed in it.</summary>
public sealed record TimelinePoint(
    double AtSeconds,
    long Requests,
    double Throughput,
    LatencySummary LatencyMs);
