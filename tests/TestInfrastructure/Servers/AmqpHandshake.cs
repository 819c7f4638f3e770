using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Chat.TestInfrastructure.Servers;

/// <summary>
/// The readiness check for a broker: send the AMQP 0-9-1 protocol header and expect a
/// Connection.Start method frame (class 10, method 10) on channel 0. An open port alone is not
/// enough: RabbitMQ opens its listener before it can serve connections.
/// </summary>
internal static class AmqpHandshake
{
    private static readonly byte[] ProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    public static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(ProtocolHeader, timeout.Token);

        // Frame header: type (1 = method), channel (2 bytes), payload size (4 bytes).
        var header = new byte[7];
        await stream.ReadExactlyAsync(header, timeout.Token);
        if (header[0] != 1 || BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1)) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(3)) < 4)
        {
            return false;
        }

        var method = new byte[4];
        await stream.ReadExactlyAsync(method, timeout.Token);
        return BinaryPrimitives.ReadUInt16BigEndian(method) == 10 && BinaryPrimitives.ReadUInt16BigEndian(method.AsSpan(2)) == 10;
    }
}
