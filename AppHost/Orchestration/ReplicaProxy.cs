using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// The one address of a resource with several replicas, as Aspire's proxy gives it: accepts TCP
/// connections and relays each to the next replica in turn, healthy ones first, skipping replicas
/// that refuse. HTTP keep-alive means one client connection stays on one replica.
/// </summary>
internal sealed class ReplicaProxy : IAsyncDisposable
{
    private readonly List<TcpListener> listeners = [];
    private readonly Func<IReadOnlyList<int>> backendPorts;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private int next;

    private ReplicaProxy(Func<IReadOnlyList<int>> backendPorts, ILogger logger)
    {
        this.backendPorts = backendPorts;
        this.logger = logger;
    }

    /// <param name="alsoIPv6">Listen on [::1] too, so <c>http://localhost:port</c> works whichever address a client tries first.</param>
    public static ReplicaProxy Start(int port, bool alsoIPv6, Func<IReadOnlyList<int>> backendPorts, ILogger logger)
    {
        var proxy = new ReplicaProxy(backendPorts, logger);
        proxy.Listen(IPAddress.Loopback, port);
        if (alsoIPv6 && Socket.OSSupportsIPv6)
        {
            try
            {
                proxy.Listen(IPAddress.IPv6Loopback, port);
            }
            catch (SocketException e)
            {
                logger.LogDebug("No IPv6 loopback listener on {Port}: {Error}", port, e.Message);
            }
        }

        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(loops);
        stopping.Dispose();
    }

    private void Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        listeners.Add(listener);
        loops.Add(AcceptAsync(listener));
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            using var backend = await ConnectToReplicaAsync();
            if (backend is null)
            {
                return;
            }

            client.NoDelay = backend.NoDelay = true;
            await Task.WhenAll(
                PumpAsync(client.Client, backend.Client, stopping.Token),
                PumpAsync(backend.Client, client.Client, stopping.Token));
        }
    }

    /// <summary>
    /// Copies one direction; at its end half-closes the other side so the peer sees it. A failure
    /// closes both sockets, which ends the opposite direction too.
    /// </summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        try
        {
            await using var fromStream = new NetworkStream(from, ownsSocket: false);
            await using var toStream = new NetworkStream(to, ownsSocket: false);
            await fromStream.CopyToAsync(toStream, cancellationToken);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            from.Close();
            to.Close();
        }
    }

    private async Task<TcpClient?> ConnectToReplicaAsync()
    {
        var ports = backendPorts();
        var start = Interlocked.Increment(ref next);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[(int)((uint)(start + i) % (uint)ports.Count)];
            var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, stopping.Token);
                return backend;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                backend.Dispose();
            }
        }

        return null;
    }
}
