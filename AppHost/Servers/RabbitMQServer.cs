using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.AppHost.Servers;

/// <summary>A RabbitMQ node run from the Debian package on 127.0.0.1, guest/guest, with its own epmd.</summary>
/// <remarks>guest may only connect from loopback: a published broker has the user <see cref="PublishedUser"/>.</remarks>
public sealed class RabbitMQServerResource(string name, string command, string workingDirectory)
    : LocalServerResource(name, command, workingDirectory)
{
    public const string PublishedUser = "chat";

    public override ReferenceExpression ConnectionStringExpression => Password is null
        ? ReferenceExpression.Create($"amqp://guest:guest@{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)}/")
        : ReferenceExpression.Create($"amqp://{PublishedUser}:{Password}@{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)}/");
}

/// <summary>
/// Erlang's port mapper for one RabbitMQ node. Started by the broker, epmd daemonizes and outlives everything; as a
/// resource of its own, in the foreground, it stops with the AppHost.
/// </summary>
public sealed class EpmdResource(string name, string command, string workingDirectory) : ExecutableResource(name, command, workingDirectory);

public static class RabbitMQServerBuilderExtensions
{
    /// <summary>The node's Erlang home (its cookie), its database and its logs, under its data folder.</summary>
    private static readonly string[] Folders = ["home", "mnesia", "log"];

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQServer(this IDistributedApplicationBuilder builder, string name)
    {
        var folder = LocalServer.FolderOf(builder, name);
        var port = LocalServer.Port(builder, name);
        var distributionPort = LocalServer.Port(builder, $"{name}-dist");
        var epmdPort = LocalServer.Port(builder, $"{name}-epmd");

        var epmdCheck = $"{name}-epmd-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(epmdCheck, async cancellationToken => await ListensAsync(epmdPort, cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"epmd does not listen on {epmdPort}."));
        var epmd = builder.AddResource(new EpmdResource($"{name}-epmd", LocalServer.Binary(builder, "rabbitmq-server", "/usr/bin/epmd"), folder))
            .WithArgs("-address", "127.0.0.1", "-port", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithHealthCheck(epmdCheck)
            .ExcludeFromManifest();

        var brokerCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(brokerCheck, async cancellationToken => await AmqpAnswersAsync(port, cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("RabbitMQ does not answer the AMQP handshake yet."));
        // The node name follows the folder, so a restart finds its own mnesia data again, and two folders never clash.
        var node = $"chat-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..10]}@localhost";
        var resource = new RabbitMQServerResource(name, LocalServer.Binary(builder, "rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server"), folder);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, (_, cancellationToken) =>
        {
            foreach (var part in Folders)
            {
                Directory.CreateDirectory(Path.Combine(folder, part));
            }

            return File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].\n", cancellationToken);
        });
        return builder.AddResource(resource)
            .WithEndpoint(port: port, targetPort: port, name: LocalServerResource.EndpointName, isProxied: false)
            .WithEnvironment(context =>
            {
                var environment = context.EnvironmentVariables;
                // Under systemd the script execs the Erlang VM instead of waiting on it: DCP's signals reach the broker itself.
                environment["RUNNING_UNDER_SYSTEMD"] = "true";
                environment["HOME"] = Path.Combine(folder, "home");
                environment["RABBITMQ_NODENAME"] = node;
                environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                environment["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
                environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                environment["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture);
                environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false";
                environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia");
                environment["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log");
                environment["RABBITMQ_LOGS"] = "-";
                environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins");
                environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq");
                environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config");
                environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf");
                environment["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid");
            })
            .WithHealthCheck(brokerCheck)
            .WaitFor(epmd);
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The AMQP 0-9-1 protocol header answered by a Connection.Start method frame (class 10, method 10) on channel 0: the
    /// listener opens before the broker can serve connections, so an open port alone says too little.
    /// </summary>
    private static async Task<bool> AmqpAnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), timeout.Token);
            var frame = new byte[11];
            await stream.ReadExactlyAsync(frame, timeout.Token);
            return frame[0] == 1 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(1)) == 0
                && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(7)) == 10 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(9)) == 10;
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
