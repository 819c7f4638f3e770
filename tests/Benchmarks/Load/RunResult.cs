using System.Globalization;
using System.Text.Json.Serialization;
using Chat.Benchmarks.Delivery;
using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Load;

/// <summary>One run's report, written as JSON (snake_case).</summary>
public sealed record RunResult(
    string Scenario,
    string? Via,
    string Target,
    string Method,
    string Mode,
    int Connections,
    double WarmupSeconds,
    double DurationSeconds,
    double? TargetRate,
    long Requests,
    double Throughput,
    LatencySummary LatencyMs,
    IReadOnlyDictionary<string, long> StatusCodes,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorKinds,
    long Reconnects,
    GeneratorUsage Generator)
{
    /// <summary>Where the messages went after they were acknowledged: <c>send-sse</c> only.</summary>
    public DeliveryReport? Delivery { get; init; }

    /// <summary>The wait for a quiet machine before the run (<see cref="MachineQuiet"/>); null where it can't be seen.</summary>
    public SettleReport? Settle { get; init; }

    /// <summary>The measured time interval by interval (<c>--timeline</c>), a later round's after the earlier ones'.</summary>
    public IReadOnlyList<TimelinePoint>? Timeline { get; init; }

    /// <summary>Every response was 2xx and no request failed.</summary>
    [JsonIgnore]
    public bool IsClean => Errors == 0 && Requests > 0 && StatusCodes.All(s => s.Key.StartsWith('2'));

    /// <summary>
    /// One or more rounds of a scenario as one run over <paramref name="options"/>' duration (the rounds' in total): counts and
    /// latencies merged, the generator's CPU averaged over the rounds and its allocations summed.
    /// </summary>
    internal static RunResult From(Scenario scenario, LoadOptions options, IReadOnlyList<MeasuredRound> rounds)
    {
        var generator = new GeneratorUsage(
            Math.Round(rounds.Average(round => round.Generator.CpuPercent), 1), rounds.Sum(round => round.Generator.AllocatedBytes));
        var latency = new LatencyHistogram();
        var statusCodes = new long[1000];
        var errors = new long[Enum.GetValues<ErrorKind>().Length];
        long reconnects = 0;
        foreach (var tally in rounds.SelectMany(round => round.Tallies))
        {
            latency.Add(tally.Latency);
            reconnects += tally.Reconnects;
            for (var code = 0; code < statusCodes.Length; code++)
            {
                statusCodes[code] += tally.StatusCodes[code];
            }

            for (var kind = 0; kind < errors.Length; kind++)
            {
                errors[kind] += tally.Errors[kind];
            }
        }

        return new RunResult(
            scenario.Name,
            scenario.Via,
            scenario.Target.ToString(),
            scenario.Method,
            options.Rate is null ? "closed-loop" : "open-loop",
            options.Connections,
            options.Warmup.TotalSeconds,
            options.Duration.TotalSeconds,
            options.Rate,
            latency.Count,
            Math.Round(latency.Count / options.Duration.TotalSeconds, 1),
            LatencySummary.Of(latency),
            Enumerable.Range(0, statusCodes.Length).Where(code => statusCodes[code] > 0)
                .ToDictionary(code => code.ToString(CultureInfo.InvariantCulture), code => statusCodes[code]),
            errors.Sum(),
            Enum.GetValues<ErrorKind>().ToDictionary(kind => kind.ToString().ToLowerInvariant(), kind => errors[(int)kind]),
            reconnects,
            generator)
        {
            Timeline = rounds.All(round => round.Timeline is not null)
                ? [.. rounds.SelectMany((round, index) => round.Timeline!.Points(options.Duration / rounds.Count * index))]
                : null,
        };
    }
}

/// <summary>Latency percentiles in milliseconds (from the histogram: within 1% or 1 µs).</summary>
public sealed record LatencySummary(
    double Min,
    double Mean,
    double P50,
    double P90,
    double P99,
    [property: JsonPropertyName("p99_9")] double P999,
    double Max)
{
    internal static LatencySummary Of(LatencyHistogram histogram) => new(
        Milliseconds(histogram.Count == 0 ? 0 : histogram.MinMicroseconds),
        Math.Round(histogram.Count == 0 ? 0 : (double)histogram.SumMicroseconds / histogram.Count / 1000, 3),
        Milliseconds(histogram.ValueAtPercentile(50)),
        Milliseconds(histogram.ValueAtPercentile(90)),
        Milliseconds(histogram.ValueAtPercentile(99)),
        Milliseconds(histogram.ValueAtPercentile(99.9)),
        Milliseconds(histogram.MaxMicroseconds));

    private static double Milliseconds(long microseconds) => microseconds / 1000.0;
}

/// <summary>What the load generator itself cost during the measured window.</summary>
/// <param name="CpuPercent">CPU time over wall time, in percent of one core (200 = both cores of this machine).</param>
/// <param name="AllocatedBytes">Managed allocations; near zero when the steady state allocates nothing.</param>
public sealed record GeneratorUsage(double CpuPercent, long AllocatedBytes);
