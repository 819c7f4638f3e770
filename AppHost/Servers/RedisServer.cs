using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.AppHost.Servers;

/// <summary>A redis-server run from the Debian binary, on 127.0.0.1, in the foreground.</summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory)
    : LocalServerResource(name, command, workingDirectory)
{
    /// <summary>StackExchange.Redis configuration: <c>host:port</c>, and the password when there is one.</summary>
    public override ReferenceExpression ConnectionStringExpression => Password is null
        ? ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)}")
        : ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}

public static class RedisServerBuilderExtensions
{
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        var folder = LocalServer.FolderOf(builder, name);
        var port = LocalServer.Port(builder, name);
        var resource = new RedisServerResource(name, LocalServer.Binary(builder, "redis-server", "/usr/bin/redis-server"), folder);
        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, cancellationToken => PingAsync(port, cancellationToken));

        List<string> arguments = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--daemonize", "no"];
        arguments.AddRange(LocalServer.Durable(builder)
            ? ["--appendonly", "yes", "--appendfsync", "everysec"]
            : ["--save", string.Empty, "--appendonly", "no"]);
        return builder.AddResource(resource)
            .WithEndpoint(port: port, targetPort: port, name: LocalServerResource.EndpointName, isProxied: false)
            .WithArgs([.. arguments])
            .WithHealthCheck(healthCheck);
    }

    /// <summary>PING answered with +PONG.</summary>
    private static async Task<HealthCheckResult> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Redis did not answer PING with PONG.");
        }
        catch (SocketException exception)
        {
            return HealthCheckResult.Unhealthy(exception.Message);
        }
    }
}
