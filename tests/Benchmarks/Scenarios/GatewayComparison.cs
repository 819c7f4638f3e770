using Chat.Benchmarks.Load;
using Chat.Benchmarks.Nginx;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// The gateway against the yardstick: the same request straight to the service, through the gateway,
/// and through nginx in front of the same service, one after another with the same load.
/// </summary>
public static class GatewayComparison
{
    public const string ViaNginx = "nginx";

    /// <param name="direct">The request straight to the service; nginx is started in front of its target.</param>
    /// <param name="gateway">The same request through the gateway.</param>
    public static async Task<ComparisonResult> RunAsync(
        Scenario direct, Scenario gateway, LoadOptions options, string nginxBinary = NginxProxy.DefaultBinary,
        CancellationToken cancellationToken = default)
    {
        await using var nginx = await NginxProxy.StartAsync(direct.Target, nginxBinary, cancellationToken);
        var directResult = await LoadRunner.RunAsync(direct, options, cancellationToken);
        var gatewayResult = await LoadRunner.RunAsync(gateway, options, cancellationToken);
        var nginxResult = await LoadRunner.RunAsync(direct.RoutedThrough(ViaNginx, nginx.Address), options, cancellationToken);
        return ComparisonResult.Of(directResult, gatewayResult, nginxResult);
    }
}

/// <summary>The three runs and what they say about the gateway.</summary>
public sealed record ComparisonResult(RunResult Direct, RunResult Gateway, RunResult Nginx, ComparisonFigures Figures)
{
    public static ComparisonResult Of(RunResult direct, RunResult gateway, RunResult nginx)
    {
        var gatewayAdded = Math.Round(gateway.LatencyMs.P50 - direct.LatencyMs.P50, 3);
        var nginxAdded = Math.Round(nginx.LatencyMs.P50 - direct.LatencyMs.P50, 3);
        var ratio = nginx.Throughput > 0 ? Math.Round(gateway.Throughput / nginx.Throughput, 3) : 0;
        var clean = direct.IsClean && gateway.IsClean && nginx.IsClean;
        var met = clean && gateway.Throughput >= nginx.Throughput && gatewayAdded <= nginxAdded;
        return new ComparisonResult(direct, gateway, nginx, new ComparisonFigures(gatewayAdded, nginxAdded, ratio, clean, met));
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
