using System.Collections.Concurrent;
using Chat.ServiceDefaults.Batching;

namespace Chat.ServiceDefaults.Tests.Batching;

public sealed class CoalescerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_caller_gets_the_result_of_its_own_item()
    {
        await using var coalescer = new Coalescer<int, string>(
            items => Task.FromResult<IReadOnlyList<string>>([.. items.Select(item => $"#{item}")]),
            new CoalescerOptions { Name = "test", Concurrency = 3, MaxBatch = 7 });

        var results = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(i => Task.Run(() => coalescer.SubmitAsync(i))));

        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"#{i}"), results);
    }

    [Fact]
    public async Task Items_that_wait_while_a_batch_runs_go_together_into_the_next_one()
    {
        var sizes = new ConcurrentQueue<int>();
        var firstBatchRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var coalescer = new Coalescer<int, int>(
            async items =>
            {
                sizes.Enqueue(items.Count);
                if (firstBatchRunning.TrySetResult())
                {
                    await releaseFirstBatch.Task;
                }

                return items;
            },
            new CoalescerOptions { Name = "test", Concurrency = 1, MaxBatch = 8 });

        var first = coalescer.SubmitAsync(0);
        await firstBatchRunning.Task.WaitAsync(Patience);
        var waiting = Enumerable.Range(1, 10).Select(coalescer.SubmitAsync).ToArray();
        releaseFirstBatch.SetResult();

        var results = await Task.WhenAll([first, .. waiting]).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 11), results);
        Assert.Equal([1, 8, 2], sizes);
    }

    [Fact]
    public async Task A_batch_that_throws_fails_every_caller_in_it_once()
    {
        var calls = 0;
        await using var coalescer = BlockedUntilAllQueued(
            items =>
            {
                Interlocked.Increment(ref calls);
                throw new TimeoutException("the server did not answer");
            },
            out var queueItems,
            out var release);

        var results = queueItems([1, 2, 3]);
        release();

        foreach (var result in results)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => result.WaitAsync(Patience));
        }

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Disposing_runs_what_is_queued_and_then_refuses_new_items()
    {
        var coalescer = BlockedUntilAllQueued(items => items, out var queueItems, out var release);
        var results = queueItems([1, 2, 3]);

        var disposing = coalescer.DisposeAsync().AsTask();
        release();
        await disposing.WaitAsync(Patience);

        var answered = await Task.WhenAll(results);
        Assert.Equal([1, 2, 3], answered);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => coalescer.SubmitAsync(4));
    }

    /// <summary>
    /// A coalescer of one runner whose first batch (item 0, answered 0) waits for <paramref name="release"/>, so the
    /// items given to <paramref name="queueItems"/> meanwhile form the next batch together.
    /// </summary>
    private static Coalescer<int, int> BlockedUntilAllQueued(
        Func<IReadOnlyList<int>, IReadOnlyList<int>> process,
        out Func<int[], Task<int>[]> queueItems,
        out Action release)
    {
        var blocker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new Coalescer<int, int>(
            async items =>
            {
                if (items is [0])
                {
                    blocking.TrySetResult();
                    await blocker.Task;
                    return items;
                }

                return process(items);
            },
            new CoalescerOptions { Name = "test", Concurrency = 1 });
        var first = coalescer.SubmitAsync(0);
        blocking.Task.Wait(Patience);
        queueItems = items => [.. items.Select(coalescer.SubmitAsync)];
        release = () =>
        {
            blocker.SetResult();
            first.Wait(Patience);
        };
        return coalescer;
    }
}
