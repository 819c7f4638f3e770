namespace Chat.Benchmarks.Load;

/// <summary>How hard and how long to drive a target.</summary>
public sealed record LoadOptions
{
    /// <summary>Keep-alive connections, each with one request in flight.</summary>
    public int Connections { get; init; } = 64;

    /// <summary>The measured window; what completes in it is reported.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before the window, discarded: JIT, pools and caches warm up on both sides.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Total requests per second for an open-loop run, spread evenly over the connections, with latency
    /// measured from each request's scheduled send time; null runs closed-loop (send as soon as answered).
    /// </summary>
    public double? Rate { get; init; }

    /// <summary>A response slower than this counts as a timeout error and its connection is replaced.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Also report the measured window cut into intervals of this length (<see cref="Timeline"/>); null reports the whole only.</summary>
    public TimeSpan? TimelineInterval { get; init; }

    public void Validate()
    {
        if (Connections < 1 || Duration <= TimeSpan.Zero || Warmup < TimeSpan.Zero || Timeout <= TimeSpan.Zero || Rate <= 0
            || TimelineInterval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException("Connections, duration, timeout and rate must be positive; warm-up not negative; timeline intervals at least 1 ms.");
        }
    }
}
