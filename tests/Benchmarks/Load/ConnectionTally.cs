namespace Chat.Benchmarks.Load;

public enum ErrorKind
{
    Connect,
    Write,
    Read,
    Timeout,
    Protocol,
}

/// <summary>What one connection saw inside the measured window; merged with the others at the end.</summary>
internal sealed class ConnectionTally
{
    public LatencyHistogram Latency { get; } = new();

    // Indexed by status code; codes are three digits.
    public long[] StatusCodes { get; } = new long[1000];

    public long[] Errors { get; } = new long[Enum.GetValues<ErrorKind>().Length];

    public long Reconnects { get; set; }
}
