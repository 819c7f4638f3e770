namespace Chat.Benchmarks.Requests;

/// <summary>
/// Produces the bytes of each request a connection sends. Called from every connection concurrently;
/// a source either hands out shared read-only bytes or writes into the calling connection's scratch.
/// </summary>
public interface IRequestSource
{
    /// <summary>Size of the per-connection scratch buffer that <see cref="Next"/> may write into (0: none).</summary>
    int ScratchBytes { get; }

    ReadOnlyMemory<byte> Next(Memory<byte> scratch);

    /// <summary>
    /// How the request last made in <paramref name="scratch"/> ended: its status code, or 0 when it failed or was
    /// cut off by the end of the run. A source that follows its requests keeps what it needs in the scratch.
    /// </summary>
    void Answered(Memory<byte> scratch, int statusCode)
    {
    }
}
