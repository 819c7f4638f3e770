using System.Buffers.Binary;
using System.Text.Unicode;

namespace Chat.Benchmarks.Requests;

/// <summary>Writes the body of request <paramref name="number"/> into <paramref name="destination"/> and returns its length in bytes.</summary>
public delegate int BodyWriter(Span<byte> destination, long number);

/// <summary>Hears how request <paramref name="number"/> ended: its status code, or 0 when it failed or was cut off.</summary>
public delegate void AnswerObserver(long number, int statusCode);

/// <summary>Numbers the requests of one run 1, 2, 3, ...; shared by every source rebuilt for that run.</summary>
public sealed class RequestNumbers
{
    private long last;

    public long Next() => Interlocked.Increment(ref last);
}

/// <summary>
/// A fixed head with a body generated per send from the request's number (unique names, rotating users).
/// The number and the body are written into the connection's scratch buffer, so generating costs no
/// allocation, and the number is still there when the answer comes back for the observer.
/// </summary>
public sealed class GeneratedRequestSource : IRequestSource
{
    // Room for "Content-Length: " is in the head; this is the digits of a long plus the blank line.
    private const int ContentLengthReserve = 24;

    // The scratch starts with the number of the request built in it.
    private const int NumberBytes = sizeof(long);

    private readonly byte[] head;
    private readonly BodyWriter writeBody;
    private readonly RequestNumbers numbers;
    private readonly AnswerObserver? observer;
    private readonly int maxBodyBytes;

    public GeneratedRequestSource(
        RequestTemplate template, BodyWriter writeBody, RequestNumbers numbers, AnswerObserver? observer = null, int maxBodyBytes = 4096)
    {
        if (template.Body is not null)
        {
            throw new ArgumentException("A generated request takes its body from the writer, not the template.", nameof(template));
        }

        head = [.. template.EncodeHead(), .. "Content-Length: "u8];
        this.writeBody = writeBody;
        this.numbers = numbers;
        this.observer = observer;
        this.maxBodyBytes = maxBodyBytes;
    }

    public int ScratchBytes => NumberBytes + head.Length + ContentLengthReserve + maxBodyBytes;

    public ReadOnlyMemory<byte> Next(Memory<byte> scratch)
    {
        var number = numbers.Next();
        BinaryPrimitives.WriteInt64LittleEndian(scratch.Span, number);
        var request = scratch[NumberBytes..];
        var span = request.Span;
        var bodyStart = head.Length + ContentLengthReserve;
        var bodyLength = writeBody(span.Slice(bodyStart, maxBodyBytes), number);

        head.CopyTo(span);
        var length = head.Length;
        if (!Utf8.TryWrite(span[length..bodyStart], $"{bodyLength}\r\n\r\n", out var written))
        {
            throw new InvalidOperationException("Content-Length does not fit its reserve.");
        }

        length += written;
        span.Slice(bodyStart, bodyLength).CopyTo(span[length..]);
        return request[..(length + bodyLength)];
    }

    public void Answered(Memory<byte> scratch, int statusCode) =>
        observer?.Invoke(BinaryPrimitives.ReadInt64LittleEndian(scratch.Span), statusCode);
}
