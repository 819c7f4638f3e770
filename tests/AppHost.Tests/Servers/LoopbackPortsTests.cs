using System.Net;
using System.Net.Sockets;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Tests.Servers;

public sealed class LoopbackPortsTests
{
    [Fact]
    public void A_port_is_handed_out_once_even_after_it_is_free_again()
    {
        // The kernel hands a just-released port out again readily; every one of these is released at once.
        var ports = Enumerable.Range(0, 200).SelectMany(_ => LoopbackPorts.Free(2)).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void Handed_out_ports_can_be_bound()
    {
        foreach (var port in LoopbackPorts.Free(3))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            Assert.Equal(port, ((IPEndPoint)listener.LocalEndpoint).Port);
        }
    }
}
