using Chat.Benchmarks.Load;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// Every named scenario against a running platform, then the gateway-vs-nginx comparison when the Groups
/// service can be called directly. A <c>suite</c> command only has to start the platform and hand over its targets.
/// </summary>
public static class PlatformBenchmark
{
    public static async Task<PlatformReport> RunAsync(
        PlatformTargets targets, LoadOptions options, int comparisonRounds = GatewayComparison.DefaultRounds,
        string nginxBinary = Nginx.NginxProxy.DefaultBinary, CancellationToken cancellationToken = default)
    {
        var runs = new List<RunResult>();
        foreach (var name in PlatformScenarios.Names)
        {
            runs.AddRange(await PlatformScenarios.RunAsync(name, targets, options, cancellationToken));
        }

        var comparison = targets.RoutesTo(targets.Groups).Contains(PlatformScenarios.ViaDirect)
            ? await GatewayComparison.RunAsync(
                PlatformScenarios.Create(PlatformScenarios.GatewayGet, PlatformScenarios.ViaDirect, targets),
                PlatformScenarios.Create(PlatformScenarios.GatewayGet, PlatformScenarios.ViaGateway, targets),
                options,
                comparisonRounds,
                nginxBinary,
                cancellationToken)
            : null;
        return new PlatformReport(runs, comparison);
    }
}

/// <summary>All named scenario runs, and the comparison (null without a direct Groups service).</summary>
public sealed record PlatformReport(IReadOnlyList<RunResult> Runs, ComparisonResult? Comparison);
