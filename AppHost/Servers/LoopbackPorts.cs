using System.Net;
using System.Net.Sockets;

namespace Chat.AppHost.Servers;

/// <summary>Free TCP ports on 127.0.0.1, and whether something listens on one.</summary>
public static class LoopbackPorts
{
    /// <summary>Distinct ports the kernel reports free right now (all held until every one is chosen).</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
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
