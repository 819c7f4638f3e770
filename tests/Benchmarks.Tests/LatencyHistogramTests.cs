using Chat.Benchmarks.Load;

namespace Chat.Benchmarks.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public async Task Shared_recording_from_many_threads_counts_every_value()
    {
        const int Threads = 8;
        const int PerThread = 20_000;
        var shared = new LatencyHistogram();
        var alone = new LatencyHistogram();
        for (var thread = 0; thread < Threads; thread++)
        {
            for (var i = 0; i < PerThread; i++)
            {
                alone.Record(Value(thread, i));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                shared.RecordShared(Value(thread, i));
            }
        })));

        Assert.Equal(alone.Count, shared.Count);
        Assert.Equal(alone.SumMicroseconds, shared.SumMicroseconds);
        Assert.Equal(alone.MinMicroseconds, shared.MinMicroseconds);
        Assert.Equal(alone.MaxMicroseconds, shared.MaxMicroseconds);
        foreach (var percentile in new[] { 1, 50, 90, 99, 99.9 })
        {
            Assert.Equal(alone.ValueAtPercentile(percentile), shared.ValueAtPercentile(percentile));
        }
    }

    // Spread over four orders of magnitude, so values land in many buckets, each thread's own.
    private static long Value(int thread, int i) => 3 + (i * 7919L + thread * 104_729L) % 2_000_000;
}
