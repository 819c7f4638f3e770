using System.Text.Unicode;

namespace Chat.Benchmarks.Requests;

/// <summary>Writes one request body into <paramref name="destination"/> and returns its length in bytes.</summary>
public delegate int BodyWriter(Span<byte> destination);

/// <summary>
/// A fixed head with a body generated per send (unique names, counters). The body is written into the
/// connection's scratch buffer, so generating costs no allocation.
/// </summary>
public sealed class GeneratedRequestSource : IRequestSource
{
    // Room for "Content-Length: " is in the head; this is the digits of a long plus the blank line.
    private const int ContentLengthReserve = 24;

    private readonly byte[] head;
    private readonly BodyWriter writeBody;
    private readonly int maxBodyBytes;

    public GeneratedRequestSource(RequestTemplate template, BodyWriter writeBody, int maxBodyBytes = 4096)
    {
        if (template.Body is not null)
        {
            throw new ArgumentException("A generated request takes its body from the writer, not the template.", nameof(template));
        }

        head = [.. template.EncodeHead(), .. "Content-Length: "u8];
        this.writeBody = writeBody;
        this.maxBodyBytes = maxBodyBytes;
    }

    public int ScratchBytes => head.Length + ContentLengthReserve + maxBodyBytes;

    public ReadOnlyMemory<byte> Next(Memory<byte> scratch)
    {
        var span = scratch.Span;
        var bodyStart = head.Length + ContentLengthReserve;
        var bodyLength = writeBody(span.Slice(bodyStart, maxBodyBytes));

        head.CopyTo(span);
        var length = head.Length;
        if (!Utf8.TryWrite(span[length..bodyStart], $"{bodyLength}\r\n\r\n", out var written))
        {
            throw new InvalidOperationException("Content-Length does not fit its reserve.");
        }

        length += written;
        span.Slice(bodyStart, bodyLength).CopyTo(span[length..]);
        return scratch[..(length + bodyLength)];
    }
}
