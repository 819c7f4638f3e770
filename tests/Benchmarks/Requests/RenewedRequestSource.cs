using System.Diagnostics;

namespace Chat.Benchmarks.Requests;

/// <summary>
/// Rebuilds an inner source on an interval, for requests whose headers age: signed identity headers are
/// refused once their timestamp is older than the services' limit, and a run may last longer than that.
/// </summary>
public sealed class RenewedRequestSource : IRequestSource
{
    private readonly Func<IRequestSource> build;
    private readonly long renewEveryTicks;
    private readonly Lock gate = new();
    private IRequestSource current;
    private long renewAt;

    public RenewedRequestSource(Func<IRequestSource> build, TimeSpan renewEvery)
    {
        this.build = build;
        renewEveryTicks = (long)(renewEvery.TotalSeconds * Stopwatch.Frequency);
        current = build();
        renewAt = Stopwatch.GetTimestamp() + renewEveryTicks;
    }

    public int ScratchBytes => current.ScratchBytes;

    public ReadOnlyMemory<byte> Next(Memory<byte> scratch)
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= Volatile.Read(ref renewAt))
        {
            Renew(now);
        }

        return Volatile.Read(ref current).Next(scratch);
    }

    // Every source this one builds lays out its scratch alike, so the current one reads what an earlier one wrote.
    public void Answered(Memory<byte> scratch, int statusCode) => Volatile.Read(ref current).Answered(scratch, statusCode);

    private void Renew(long now)
    {
        lock (gate)
        {
            if (now < renewAt)
            {
                return;
            }

            var renewed = build();
            if (renewed.ScratchBytes > current.ScratchBytes)
            {
                throw new InvalidOperationException("A renewed request source may not need a larger scratch buffer.");
            }

            Volatile.Write(ref current, renewed);
            Volatile.Write(ref renewAt, now + renewEveryTicks);
        }
    }
}
