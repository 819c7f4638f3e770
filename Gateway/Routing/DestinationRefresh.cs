using System.Net;
using System.Net.Sockets;

namespace Chat.Gateway.Routing;

/// <summary>
/// Resolves the clusters' h2c destinations named by DNS now and every <see cref="Interval"/>, so pods that come and
/// go behind a headless Service are used and dropped (<see cref="Cluster.RefreshAsync"/>). Until the first answer, and
/// whenever resolution fails, a cluster keeps what it had.
/// </summary>
internal sealed partial class DestinationRefresh(RouteTable routes, ILogger<DestinationRefresh> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clusters = routes.Clusters.Where(cluster => cluster.ResolvesNames).ToArray();
        if (clusters.Length == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        do
        {
            foreach (var cluster in clusters)
            {
                try
                {
                    await cluster.RefreshAsync(Dns.GetHostAddressesAsync, stoppingToken);
                }
                catch (SocketException exception)
                {
                    LogResolveFailed(cluster.Id, exception.SocketErrorCode, exception);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(1, LogLevel.Warning, "Cluster {ClusterId}: resolving its destinations failed ({Error}); it keeps the ones it had")]
    private partial void LogResolveFailed(string clusterId, SocketError error, Exception exception);
}
