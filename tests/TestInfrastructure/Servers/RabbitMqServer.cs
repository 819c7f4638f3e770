using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chat.TestInfrastructure.Servers;

/// <param name="DataDirectory">The instance's own folder: Erlang home (cookie), mnesia, logs, plugin list.</param>
/// <param name="Port">AMQP port; 0 picks a free loopback port.</param>
public sealed record RabbitMqServerOptions(string DataDirectory, int Port = 0);

/// <summary>
/// A private RabbitMQ node on 127.0.0.1 with its own epmd, node name, distribution port and folders,
/// so several can run on one machine. We start epmd ourselves, in the foreground, so it is our child
/// and ends with us (an epmd started by Erlang daemonizes and outlives the broker). The node name
/// derives from the data directory, so a restart finds its own mnesia data again.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly string script;
    private readonly string directory;
    private readonly ChildProcess epmd;
    private readonly SemaphoreSlim transitions = new(1, 1);
    private ChildProcess? broker;

    private RabbitMqServer(string script, string directory, ChildProcess epmd, int epmdPort, LogRing logs)
    {
        this.script = script;
        this.directory = directory;
        this.epmd = epmd;
        EpmdPort = epmdPort;
        Logs = logs;
        NodeName = $"chat-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..10]}@localhost";
    }

    public int Port { get; private set; }

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>The broker's process id (the rabbitmq-server script, leader of the group holding the Erlang VM); null while stopped.</summary>
    public int? ProcessId => broker?.Id;

    public int EpmdProcessId => epmd.Id;

    public int EpmdPort { get; }

    public int DistributionPort { get; private set; }

    public string NodeName { get; }

    public LogRing Logs { get; }


    public static async Task<RabbitMqServer> StartAsync(RabbitMqServerOptions options, CancellationToken cancellationToken = default)
    {
        var script = ServerBinaries.RabbitMqServerScript();
        var epmdProgram = ServerBinaries.Epmd();
        var directory = Path.GetFullPath(options.DataDirectory);
        var log = new LogRing();
        await ServerDirectories.PrepareAsync(directory, runAsUser: null, cancellationToken);
        foreach (var folder in new[] { "home", "mnesia", "log" })
        {
            Directory.CreateDirectory(Path.Combine(directory, folder));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", cancellationToken);

        var epmdPort = LoopbackPorts.Free();
        var epmd = await ServerStartup.StartAsync(
            "epmd",
            () => [epmdPort],
            () => ChildProcess.Start(new ChildProcessSpec(epmdProgram, ["-address", "127.0.0.1", "-port", epmdPort.ToString(CultureInfo.InvariantCulture)]), log),
            token => LoopbackPorts.IsListeningAsync(epmdPort, token),
            () => epmdPort = LoopbackPorts.Free(),
            portsArePicked: true,
            TimeSpan.FromSeconds(10),
            log,
            cancellationToken);

        var server = new RabbitMqServer(script, directory, epmd, epmdPort, log);
        try
        {
            await server.StartBrokerAsync(options.Port, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops the broker (epmd stays, so <see cref="RestartAsync"/> can bring it back on the same ports).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await transitions.WaitAsync(cancellationToken);
        try
        {
            await StopBrokerAsync();
        }
        finally
        {
            transitions.Release();
        }
    }

    /// <summary>Stops the broker if it runs, starts it again on the same port and data, and waits until it answers.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await transitions.WaitAsync(cancellationToken);
        try
        {
            await StopBrokerAsync();
            broker = await ServerStartup.StartAsync(
                "RabbitMQ",
                () => [Port, DistributionPort],
                () => ChildProcess.Start(BrokerSpec(), Logs),
                token => AmqpHandshake.AnswersAsync(Port, token),
                () => { },
                portsArePicked: false,
                StartTimeout,
                Logs,
                cancellationToken);
        }
        finally
        {
            transitions.Release();
        }
    }


    /// <summary>Stops the broker (SIGTERM, killed if it hangs), then its epmd.</summary>
    public async ValueTask DisposeAsync()
    {
        await transitions.WaitAsync();
        try
        {
            await StopBrokerAsync();
            await epmd.DisposeAsync();
        }
        finally
        {
            transitions.Release();
        }
    }

    private async Task StartBrokerAsync(int requestedPort, CancellationToken cancellationToken)
    {
        PickPorts(requestedPort);
        broker = await ServerStartup.StartAsync(
            "RabbitMQ",
            () => [Port, DistributionPort],
            () => ChildProcess.Start(BrokerSpec(), Logs),
            token => AmqpHandshake.AnswersAsync(Port, token),
            () => PickPorts(requestedPort),
            portsArePicked: requestedPort == 0,
            StartTimeout,
            Logs,
            cancellationToken);
    }

    private void PickPorts(int requestedPort)
    {
        var free = LoopbackPorts.Free(2);
        Port = requestedPort == 0 ? free[0] : requestedPort;
        DistributionPort = free[1];
    }

    private async Task StopBrokerAsync()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
            broker = null;
        }
    }

    private ChildProcessSpec BrokerSpec() => new(script, [])
    {
        WorkingDirectory = directory,
        StopTimeout = StopTimeout,
        Environment = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(directory, "home"),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
        },
    };
}
