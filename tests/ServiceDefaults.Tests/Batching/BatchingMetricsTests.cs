using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Chat.ServiceDefaults.Batching;

namespace Chat.ServiceDefaults.Tests.Batching;

public sealed class BatchingMetricsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string name = $"test-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<(string Instrument, double Value)> measured = new();
    private readonly MeterListener listener = new();

    public BatchingMetricsTests()
    {
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == BatchingMetrics.MeterName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Keep(instrument, value, tags));
        listener.Start();
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Each_batch_reports_its_size_and_time_and_each_item_its_wait_under_the_batchers_name()
    {
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var coalescer = new Coalescer<int, int>(
            async items =>
            {
                if (items is [0])
                {
                    blocked.SetResult();
                    await release.Task;
                }

                return items;
            },
            new CoalescerOptions { Name = name, Concurrency = 1, MaxBatch = 8 });

        var first = coalescer.SubmitAsync(0);
        await blocked.Task.WaitAsync(Patience);
        var waiting = new[] { 1, 2, 3 }.Select(coalescer.SubmitAsync).ToArray();
        var queuedAt = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromMilliseconds(50));
        var heldFor = Stopwatch.GetElapsedTime(queuedAt).TotalSeconds;
        release.SetResult();
        await Task.WhenAll([first, .. waiting]).WaitAsync(Patience);

        Assert.Equal([1, 3], Values("chat.batching.batch.size"));
        // Recorded as each batch ends, in batch order: the first item's wait (however long a busy machine made it), then
        // the three that queued behind the blocked batch, each for at least as long as the test held it.
        var waits = Values("chat.batching.queue.duration");
        Assert.Equal(4, waits.Length);
        Assert.All(waits[1..], wait => Assert.True(wait >= heldFor, $"an item queued behind the blocked batch waited {wait} s, held {heldFor} s"));
        var durations = Values("chat.batching.batch.duration");
        Assert.Equal(2, durations.Length);
        Assert.True(durations[0] >= heldFor, $"the blocked batch ran {durations[0]} s, held {heldFor} s");
    }

    [Fact]
    public async Task A_batch_that_fails_is_measured_too()
    {
        await using var coalescer = new Coalescer<int, int>(
            _ => throw new TimeoutException("the server did not answer"),
            new CoalescerOptions { Name = name, Concurrency = 1 });

        await Assert.ThrowsAsync<TimeoutException>(() => coalescer.SubmitAsync(1).WaitAsync(Patience));

        Assert.Equal([1], Values("chat.batching.batch.size"));
        Assert.Single(Values("chat.batching.queue.duration"));
        Assert.Single(Values("chat.batching.batch.duration"));
    }

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == BatchingMetrics.NameTag && Equals(tag.Value, name))
            {
                measured.Enqueue((instrument.Name, value));
            }
        }
    }

    private double[] Values(string instrument) => [.. measured.Where(m => m.Instrument == instrument).Select(m => m.Value)];
}
