using System.Net.Sockets;
using System.Text;

namespace Chat.Gateway.Tests.Infrastructure;

/// <summary>HTTP/1.1 over a plain socket, for headers an HttpClient would refuse to send or would rewrite.</summary>
public static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(Uri server, string requestHead, string body = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requestHead.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n" + body));

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellation.Token)) > 0)
        {
            received.Write(buffer, 0, read);
            if (IsComplete(received.ToArray()))
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        var payload = text[(split + 4)..];
        var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        return (int.Parse(head.Split(' ')[1]), head, chunked ? Dechunk(payload) : payload);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }

    private static bool IsComplete(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var head = text[..split];
        var length = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null
            ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
            : Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(length.Split(':')[1].Trim());
    }
}
