using System.Diagnostics;
using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Load;

/// <summary>Drives one scenario: warm-up, measured window, merged report.</summary>
public static class LoadRunner
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits for a quiet machine (<see cref="MachineQuiet"/>), then measures <paramref name="scenario"/>.</summary>
    public static async Task<RunResult> RunAsync(Scenario scenario, LoadOptions options, CancellationToken cancellationToken = default)
    {
        var settle = await MachineQuiet.WaitAsync(cancellationToken);
        return RunResult.From(scenario, options, [await MeasureAsync(scenario, options, cancellationToken)]) with { Settle = settle };
    }

    /// <summary>One run's raw counts, to be summarized alone or together with other rounds of the same scenario.</summary>
    internal static async Task<MeasuredRound> MeasureAsync(Scenario scenario, LoadOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var endpoint = await TargetEndpoint.ResolveAsync(scenario.Target, cancellationToken);
        var source = scenario.CreateSource(scenario.Target);
        var bodyless = scenario.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
        using var pacer = options.Rate is null ? null : new Pacer(options.Connections);
        var window = RunWindow.StartingNow(options);
        var timeline = options.TimelineInterval is { } interval ? new Timeline(window, interval) : null;
        var workers = Enumerable.Range(0, options.Connections)
            .Select(index => new ConnectionWorker(endpoint, source, window, options, bodyless, index, pacer, timeline))
            .ToArray();

        var running = Task.WhenAll(workers.Select(worker => Task.Run(worker.RunAsync)));
        var usage = await WatchAsync(workers, window, options, running, cancellationToken);
        pacer?.Stop();
        await running;
        cancellationToken.ThrowIfCancellationRequested();
        return new MeasuredRound([.. workers.Select(worker => worker.Tally)], usage, timeline);
    }

    // Replaces connections with overdue responses, samples the generator's own cost over the window,
    // and ends the run on time (or on cancellation) by stopping every connection.
    private static async Task<GeneratorUsage> WatchAsync(
        ConnectionWorker[] workers, RunWindow window, LoadOptions options, Task running, CancellationToken cancellationToken)
    {
        var timeoutTicks = RunWindow.Ticks(options.Timeout);
        using var ticker = new PeriodicTimer(WatchdogPeriod);
        UsageSample? atStart = null;
        while (!running.IsCompleted)
        {
            await ticker.WaitForNextTickAsync(CancellationToken.None);
            var now = Stopwatch.GetTimestamp();
            atStart ??= now >= window.MeasureStart ? UsageSample.Take(now) : null;
            if (window.IsOver(now) || cancellationToken.IsCancellationRequested)
            {
                var atEnd = UsageSample.Take(now);
                Array.ForEach(workers, worker => worker.Stop());
                return (atStart ?? atEnd).Until(atEnd);
            }

            foreach (var worker in workers)
            {
                worker.AbortIfOverdue(now, timeoutTicks);
            }
        }

        var last = UsageSample.Take(Stopwatch.GetTimestamp());
        return (atStart ?? last).Until(last);
    }

    private sealed record UsageSample(long Timestamp, TimeSpan Cpu, long Allocated)
    {
        public static UsageSample Take(long timestamp) =>
            new(timestamp, Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(precise: false));

        public GeneratorUsage Until(UsageSample end)
        {
            var wallSeconds = Math.Max((double)(end.Timestamp - Timestamp) / Stopwatch.Frequency, 1e-9);
            return new GeneratorUsage(Math.Round((end.Cpu - Cpu).TotalSeconds / wallSeconds * 100, 1), end.Allocated - Allocated);
        }
    }
}

/// <summary>What one run's connections counted, what the run cost the generator, and its intervals when asked for.</summary>
internal sealed record MeasuredRound(IReadOnlyList<ConnectionTally> Tallies, GeneratorUsage Generator, Timeline? Timeline);
