using System.Diagnostics;
using System.Threading.Channels;

namespace Chat.ServiceDefaults.Batching;

/// <summary>
/// Gathers work that arrives concurrently into batches. A caller submits one item and awaits its result; up to
/// <see cref="CoalescerOptions.Concurrency"/> batches run at once, and each takes every item waiting when it starts
/// (at most <see cref="CoalescerOptions.MaxBatch"/>). A lone item starts a batch of one at once, so light load pays no
/// delay; under load items queue while batches run, and what a batch pays once (a round trip, a commit) is shared.
/// </summary>
/// <remarks>
/// A batch that throws fails every caller in it; a process that can fail for one item's sake should
/// answer per item instead (for example with a result that carries the item's error).
/// </remarks>
public sealed class Coalescer<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> process;
    private readonly CoalescerOptions options;
    private readonly KeyValuePair<string, object?> nameTag;
    private readonly Task[] runners;

    /// <param name="process">Runs one batch and returns one result per item, in order. Batches already queued run to their end at shutdown.</param>
    public Coalescer(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> process, CoalescerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        this.process = process;
        this.options = options;
        nameTag = new(BatchingMetrics.NameTag, options.Name);
        runners = [.. Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>
    /// Queues <paramref name="item"/>; completes with its result once its batch has run. The caller's continuation runs
    /// on the batch's runner, one caller after another, until each first waits: a thread-pool hop per item would cost
    /// more than the few microseconds a request needs to answer (measured: 10% of Messaging's CPU per send). A caller
    /// must therefore not block after its await.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The coalescer is shutting down.</exception>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item, new(TaskCreationOptions.None), Stopwatch.GetTimestamp(), Activity.Current);
        return queue.Writer.TryWrite(pending)
            ? pending.Result.Task
            : Task.FromException<TResult>(new ObjectDisposedException(nameof(Coalescer<TItem, TResult>)));
    }

    /// <summary>Stops taking items, runs the ones already queued, and waits for every batch to end.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(runners);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(options.MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await RunBatchAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        // A batch of one is its caller's work and is traced as part of the caller's request (its database calls, its
        // events); a shared batch is no one caller's. Set here, it lasts for this batch only.
        Activity.Current = batch is [var only] ? only.Caller : null;
        try
        {
            Complete(batch, await ProcessMeasuredAsync(batch));
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(exception);
            }
        }
    }

    /// <summary>Runs the batch's work and measures it, failed or not, before its callers resume.</summary>
    private async Task<IReadOnlyList<TResult>> ProcessMeasuredAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await process([.. batch.Select(pending => pending.Item)]);
        }
        finally
        {
            Measure(batch, started);
        }
    }

    /// <summary>Reports <paramref name="batch"/>, which started at <paramref name="started"/>, to <see cref="BatchingMetrics"/>.</summary>
    private void Measure(List<Pending> batch, long started)
    {
        if (BatchingMetrics.QueueDuration.Enabled)
        {
            foreach (var pending in batch)
            {
                BatchingMetrics.QueueDuration.Record(Stopwatch.GetElapsedTime(pending.QueuedAt, started).TotalSeconds, nameTag);
            }
        }

        if (BatchingMetrics.BatchSize.Enabled)
        {
            BatchingMetrics.BatchSize.Record(batch.Count, nameTag);
        }

        if (BatchingMetrics.BatchDuration.Enabled)
        {
            BatchingMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, nameTag);
        }
    }

    private static void Complete(List<Pending> batch, IReadOnlyList<TResult> results)
    {
        if (results.Count != batch.Count)
        {
            throw new InvalidOperationException($"A batch of {batch.Count} items returned {results.Count} results.");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Result, long QueuedAt, Activity? Caller);
}

/// <summary>How a <see cref="Coalescer{TItem, TResult}"/> batches.</summary>
public sealed record CoalescerOptions
{
    /// <summary>What the batches are, as <see cref="BatchingMetrics"/> tag their measurements (for example <c>messaging.direct-sends</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Batches that may run at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>The most items one batch takes.</summary>
    public int MaxBatch { get; init; } = 64;
}
