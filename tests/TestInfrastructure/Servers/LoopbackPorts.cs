using System.Net;
using System.Net.Sockets;

namespace Chat.TestInfrastructure.Servers;

/// <summary>Free TCP ports on 127.0.0.1, and whether something listens on one.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// Every port handed out by this process. A port is free when it is chosen but its owner binds it only later, so
    /// without this record the kernel could offer it again in between (seen: the broker was given the port a service
    /// had been given moments before, and the service could never start).
    /// </summary>
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>Distinct ports the kernel reports free right now (all held until every one is chosen), never one handed out before.</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            lock (HandedOut)
            {
                var ports = new List<int>(count);
                while (ports.Count < count)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    listeners.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (HandedOut.Add(port))
                    {
                        ports.Add(port);
                    }
                }

                return [.. ports];
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    public static int Free() => Free(1)[0];

    /// <summary>The given port, or a free one when it is 0.</summary>
    public static int OrFree(int port) => port == 0 ? Free() : port;

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
