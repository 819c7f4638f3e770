using System.Buffers;

namespace Chat.Benchmarks.Load;

/// <summary>A connection's pooled receive buffer: bytes received but not yet parsed, and room for more.</summary>
internal sealed class ReceiveBuffer(int size) : IDisposable
{
    private readonly byte[] bytes = ArrayPool<byte>.Shared.Rent(size);
    private int start;
    private int end;

    public ReadOnlySpan<byte> Unparsed => bytes.AsSpan(start, end - start);

    public void Clear() => start = end = 0;

    public void Consume(int count) => start += count;

    public void Received(int count) => end += count;

    /// <summary>Free space after the unparsed bytes, moving them to the front if needed; empty when a line fills the whole buffer.</summary>
    public Memory<byte> Space()
    {
        if (start == end)
        {
            start = end = 0;
        }
        else if (end == bytes.Length && start > 0)
        {
            bytes.AsSpan(start, end - start).CopyTo(bytes);
            end -= start;
            start = 0;
        }

        return bytes.AsMemory(end);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(bytes);
}
