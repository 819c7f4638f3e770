using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// Whether the broker answers at all. MassTransit's own check follows receive endpoints, so a
/// publish-only service would look healthy with the broker gone. Unreachable is Degraded, not
/// Unhealthy: writes go on and their events wait in the outbox.
/// </summary>
internal sealed class RabbitMqHealthCheck(Uri broker) : IHealthCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, broker.IsDefaultPort ? 5672 : broker.Port, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("RabbitMQ is not reachable; events wait in the outbox.", exception);
        }
    }
}
