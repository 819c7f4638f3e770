using Chat.Benchmarks.Load;
using Chat.Benchmarks.Nginx;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// The gateway against the yardstick: the same request straight to the service, through the gateway,
/// and through nginx in front of the same service, with the same load. The measured time is cut into
/// rounds that take the three targets in turn, so a machine whose speed drifts during the comparison
/// (a shared VM does, by tens of percent within minutes) slows all three alike instead of the last one.
/// The order changes from round to round (<see cref="TargetOf"/>), so what a run leaves behind (a service's
/// garbage, its database's dirty pages) falls on all three alike, not always on the one after the heaviest.
/// </summary>
public static class GatewayComparison
{
    public const string ViaNginx = "nginx";

    /// <summary>Every order of the three targets once (<see cref="TargetOf"/>).</summary>
    public const int DefaultRounds = 6;

    /// <summary>A later round's warm-up: its connections are new, but the processes behind them are warm.</summary>
    private static readonly TimeSpan RoundWarmup = TimeSpan.FromSeconds(1);

    /// <param name="direct">The request straight to the service; nginx is started in front of its target.</param>
    /// <param name="gateway">The same request through the gateway.</param>
    /// <param name="options">The load; its duration is each target's measured time in total, over all rounds.</param>
    /// <param name="rounds">How many turns the targets take; the first has the full warm-up. A multiple of three rotates evenly.</param>
    public static async Task<ComparisonResult> RunAsync(
        Scenario direct, Scenario gateway, LoadOptions options, int rounds = DefaultRounds,
        string nginxBinary = NginxProxy.DefaultBinary, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var settle = await MachineQuiet.WaitAsync(cancellationToken);
        await using var nginx = await NginxProxy.StartAsync(direct.Target, nginxBinary, cancellationToken);
        Scenario[] targets = [direct, gateway, direct.RoutedThrough(ViaNginx, nginx.Address)];
        var measured = targets.Select(_ => new List<MeasuredRound>()).ToArray();
        var slice = options.Duration / rounds;
        for (var round = 0; round < rounds; round++)
        {
            var roundOptions = options with
            {
                Duration = slice,
                Warmup = round == 0 || options.Warmup < RoundWarmup ? options.Warmup : RoundWarmup,
            };
            for (var turn = 0; turn < targets.Length; turn++)
            {
                var target = TargetOf(round, turn, targets.Length);
                measured[target].Add(await LoadRunner.MeasureAsync(targets[target], roundOptions, cancellationToken));
            }
        }

        var measuredOptions = options with { Duration = slice * rounds };
        var results = Enumerable.Range(0, targets.Length)
            .Select(target => RunResult.From(targets[target], measuredOptions, measured[target]))
            .ToArray();
        return ComparisonResult.Of(results[0], results[1], results[2], rounds) with { Settle = settle };
    }

    /// <summary>
    /// Which target takes <paramref name="turn"/> in <paramref name="round"/>: the rounds rotate the targets' order, then
    /// rotate it reversed (a Williams design). Over <c>2 × count</c> rounds each target takes each place equally often and
    /// follows each other target equally often within a round.
    /// </summary>
    internal static int TargetOf(int round, int turn, int count)
    {
        var place = (round + turn) % count;
        return round / count % 2 == 0 ? place : count - 1 - place;
    }
}

/// <summary>The three runs and what they say about the gateway.</summary>
public sealed record ComparisonResult(RunResult Direct, RunResult Gateway, RunResult Nginx, int Rounds, ComparisonFigures Figures)
{
    /// <summary>The wait for a quiet machine before the first round (<see cref="MachineQuiet"/>).</summary>
    public SettleReport? Settle { get; init; }

    public static ComparisonResult Of(RunResult direct, RunResult gateway, RunResult nginx, int rounds)
    {
        var gatewayAdded = Math.Round(gateway.LatencyMs.P50 - direct.LatencyMs.P50, 3);
        var nginxAdded = Math.Round(nginx.LatencyMs.P50 - direct.LatencyMs.P50, 3);
        var ratio = nginx.Throughput > 0 ? Math.Round(gateway.Throughput / nginx.Throughput, 3) : 0;
        var clean = direct.IsClean && gateway.IsClean && nginx.IsClean;
        var met = clean && gateway.Throughput >= nginx.Throughput && gatewayAdded <= nginxAdded;
        return new ComparisonResult(direct, gateway, nginx, rounds, new ComparisonFigures(gatewayAdded, nginxAdded, ratio, clean, met));
    }
}

/// <param name="GatewayAddedP50Ms">Gateway p50 minus direct p50.</param>
/// <param name="NginxAddedP50Ms">nginx p50 minus direct p50.</param>
/// <param name="ThroughputRatioGatewayToNginx">Gateway requests/s over nginx requests/s.</param>
/// <param name="AllRunsClean">All three runs answered only 2xx with no errors; otherwise the figures compare failures.</param>
/// <param name="TargetMet">Clean, gateway throughput ≥ nginx's and gateway added p50 ≤ nginx's.</param>
public sealed record ComparisonFigures(
    double GatewayAddedP50Ms,
    double NginxAddedP50Ms,
    double ThroughputRatioGatewayToNginx,
    bool AllRunsClean,
    bool TargetMet);
