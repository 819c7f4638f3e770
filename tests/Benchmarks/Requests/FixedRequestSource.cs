namespace Chat.Benchmarks.Requests;

/// <summary>The same request every time, encoded once.</summary>
public sealed class FixedRequestSource(RequestTemplate template) : IRequestSource
{
    private readonly ReadOnlyMemory<byte> request = template.Encode();

    public int ScratchBytes => 0;

    public ReadOnlyMemory<byte> Next(Memory<byte> scratch) => request;
}
