using System.Net;
using System.Net.Sockets;

namespace Chat.Benchmarks.Load;

internal static class TargetEndpoint
{
    /// <summary>The address to connect to for an http:// URL; IPv4 preferred when a name resolves to both.</summary>
    public static async Task<IPEndPoint> ResolveAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"Only http:// targets are supported, not '{url}'.");
        }

        var host = url.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, url.Port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"Host '{host}' has no address.");
        return new IPEndPoint(chosen, url.Port);
    }
}
