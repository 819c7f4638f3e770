using System.Diagnostics;
using Chat.Benchmarks.Load;

namespace Chat.Benchmarks.Tests;

public sealed class TimelineTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Responses_land_in_the_interval_they_completed_in()
    {
        var start = 10 * Second;
        var timeline = new Timeline(new RunWindow(0, start, start + 2 * Second), TimeSpan.FromSeconds(0.5));

        timeline.Record(start, 1_000);
        timeline.Record(start + Second / 4, 3_000);
        timeline.Record(start + Second, 40_000);
        timeline.Record(start + 2 * Second - 1, 7_000);

        var points = timeline.Points(TimeSpan.Zero).ToList();

        Assert.Equal([0, 0.5, 1, 1.5], points.Select(point => point.AtSeconds));
        Assert.Equal([2L, 0, 1, 1], points.Select(point => point.Requests));
        Assert.Equal([4.0, 0, 2, 2], points.Select(point => point.Throughput));
        Assert.Equal(3, points[0].LatencyMs.Max);
        Assert.Equal(1, points[0].LatencyMs.Min);
        Assert.Equal(40, points[2].LatencyMs.P99, precision: 0);
    }

    [Fact]
    public void Responses_outside_the_measured_window_are_left_out()
    {
        var start = 5 * Second;
        var timeline = new Timeline(new RunWindow(0, start, start + Second), TimeSpan.FromSeconds(0.25));

        timeline.Record(start - 1, 1_000);
        timeline.Record(start + Second, 1_000);

        Assert.All(timeline.Points(TimeSpan.Zero), point => Assert.Equal(0, point.Requests));
    }

    [Fact]
    public void A_last_short_interval_reports_its_throughput_over_its_own_length_and_later_rounds_start_after_earlier_ones()
    {
        var start = Second;
        var timeline = new Timeline(new RunWindow(0, start, start + Second), TimeSpan.FromSeconds(0.4));

        timeline.Record(start + Second * 9 / 10, 2_000);

        var points = timeline.Points(TimeSpan.FromSeconds(3)).ToList();

        Assert.Equal([3, 3.4, 3.8], points.Select(point => point.AtSeconds));
        Assert.Equal(5.0, points[2].Throughput, precision: 1);
    }
}
