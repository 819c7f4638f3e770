using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chat.TestInfrastructure.Servers;

/// <param name="DataDirectory">Where Redis keeps its RDB and append-only files.</param>
/// <param name="Port">0 picks a free loopback port.</param>
/// <param name="Durable">true keeps snapshots and an append-only file (fsync every second); false keeps nothing on disk.</param>
public sealed record RedisServerOptions(string DataDirectory, int Port = 0, bool Durable = true);

/// <summary>A private redis-server on 127.0.0.1, in the foreground, ready when PING answers PONG.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess process;

    private RedisServer(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public int ProcessId => process.Id;



    public static async Task<RedisServer> StartAsync(RedisServerOptions options, CancellationToken cancellationToken = default)
    {
        var program = ServerBinaries.RedisServer();
        var directory = Path.GetFullPath(options.DataDirectory);
        var log = new LogRing();
        await ServerDirectories.PrepareAsync(directory, runAsUser: null, cancellationToken);

        var port = LoopbackPorts.OrFree(options.Port);
        var process = await ServerStartup.StartAsync(
            "Redis",
            () => [port],
            () => ChildProcess.Start(new ChildProcessSpec(program, Arguments(directory, port, options.Durable)), log),
            token => ProbeAsync(port, token),
            () => port = LoopbackPorts.Free(),
            portsArePicked: options.Port == 0,
            StartTimeout,
            log,
            cancellationToken);
        return new RedisServer(process, port);
    }

    /// <summary>PING answered with +PONG.</summary>
    internal static async Task<bool> ProbeAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }


    /// <summary>SIGTERM (Redis saves if durable and exits); killed if it hangs.</summary>
    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static List<string> Arguments(string directory, int port, bool durable)
    {
        List<string> arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", directory,
            "--daemonize", "no",
        ];
        arguments.AddRange(durable
            ? ["--appendonly", "yes", "--appendfsync", "everysec"]
            : ["--save", string.Empty, "--appendonly", "no"]);
        return arguments;
    }
}
