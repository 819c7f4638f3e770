using System.Text;

namespace Chat.Gateway.Tests.Infrastructure;

public static class StreamReading
{
    /// <summary>Reads until <paramref name="expected"/> has arrived; fails if it has not within the timeout.</summary>
    public static async Task<string> ReadUntilAsync(Stream stream, string expected, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellation.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"The stream ended before '{expected}'; got '{received}'.");
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}

/// <summary>A request body the test writes piece by piece, without a length (sent chunked).</summary>
public sealed class PushContent(Func<Stream, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => write(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
