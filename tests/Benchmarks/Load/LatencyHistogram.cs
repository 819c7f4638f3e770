using System.Numerics;

namespace Chat.Benchmarks.Load;

/// <summary>
/// A log-linear latency histogram in microseconds, shaped like HdrHistogram with 256 sub-buckets:
/// values below 256 µs are exact, larger ones fall in buckets no wider than 1/128 of their value
/// (≤ 0.8% relative error), up to about 71 minutes. One instance per connection, written by that
/// connection only and merged when the run ends, so recording takes no lock; an instance that every
/// connection writes (a <see cref="Timeline"/> interval) is written with <see cref="RecordShared"/>.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 8;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int HalfCount = SubBucketCount / 2;
    private const int HalfBits = SubBucketBits - 1;
    private const int MaxValueBits = 32;

    public const long MaxTrackableMicroseconds = (1L << MaxValueBits) - 1;

    private readonly long[] counts = new long[IndexOf(MaxTrackableMicroseconds) + 1];

    private long count;
    private long min = long.MaxValue;
    private long max;
    private long sum;

    public long Count => count;

    public long MinMicroseconds => min;

    public long MaxMicroseconds => max;

    public long SumMicroseconds => sum;

    public void Record(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, MaxTrackableMicroseconds);
        counts[IndexOf(value)]++;
        count++;
        sum += value;
        min = Math.Min(min, value);
        max = Math.Max(max, value);
    }

    /// <summary>Records like <see cref="Record"/>, safely alongside other threads recording into this instance.</summary>
    public void RecordShared(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, MaxTrackableMicroseconds);
        Interlocked.Increment(ref counts[IndexOf(value)]);
        Interlocked.Increment(ref count);
        Interlocked.Add(ref sum, value);
        Exchange(ref min, value, smaller: true);
        Exchange(ref max, value, smaller: false);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        count += other.count;
        sum += other.sum;
        min = Math.Min(min, other.min);
        max = Math.Max(max, other.max);
    }

    /// <summary>The smallest recorded-bucket upper bound at or below which <paramref name="percentile"/>% of values lie.</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalent(i), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    // Puts value in location if it is smaller (or larger) than what location holds, however other threads change it meanwhile.
    private static void Exchange(ref long location, long value, bool smaller)
    {
        var seen = Volatile.Read(ref location);
        while (smaller ? value < seen : value > seen)
        {
            var previous = Interlocked.CompareExchange(ref location, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    // Bucket 0 holds 0..255 exactly; above, each power of two is split into 128 equal sub-buckets.
    private static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        var shift = BitOperations.Log2((ulong)value) - HalfBits;
        var subBucket = (int)(value >> shift);
        return (shift * HalfCount) + subBucket;
    }

    private static long HighestEquivalent(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index / HalfCount) - 1;
        long subBucket = (index % HalfCount) + HalfCount;
        return ((subBucket + 1) << shift) - 1;
    }
}
