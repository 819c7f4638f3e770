using System.Collections.Concurrent;

namespace Chat.Gateway.Authentication;

/// <summary>
/// Remembers tokens that passed validation until they expire, because signature checks are on every
/// request's path. Bounded: when full it drops expired entries (at most once a second) and otherwise
/// stops adding, so a flood of distinct valid tokens costs validation time, never unbounded memory.
/// </summary>
internal sealed class ValidatedTokenCache
{
    public const int Capacity = 10_000;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CachedToken> _entries;
    private readonly ConcurrentDictionary<string, CachedToken>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private int _count;
    private long _lastSweepTicks;

    private readonly TimeProvider _time;

    public ValidatedTokenCache(TimeProvider time)
    {
        _time = time;
        _entries = new ConcurrentDictionary<string, CachedToken>(StringComparer.Ordinal);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> token, out CachedToken entry)
    {
        if (_bySpan.TryGetValue(token, out entry!))
        {
            if (entry.ExpiresAt > _time.GetUtcNow())
            {
                return true;
            }

            Remove(token);
        }

        return false;
    }

    public void Add(string token, CachedToken entry)
    {
        if (Volatile.Read(ref _count) >= Capacity && !SweepExpired())
        {
            return;
        }

        if (_entries.TryAdd(token, entry))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Remove(ReadOnlySpan<char> token)
    {
        if (_bySpan.TryRemove(token, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Drops expired entries; false when the cache is still full afterwards or was swept just now.</summary>
    private bool SweepExpired()
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return false;
        }

        foreach (var (token, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                Remove(token);
            }
        }

        return Volatile.Read(ref _count) < Capacity;
    }
}

/// <summary>A validated caller, the secret that verified it (a rotated secret invalidates it) and its expiry.</summary>
internal sealed record CachedToken(AuthenticatedCaller Caller, string Secret, DateTimeOffset ExpiresAt);
