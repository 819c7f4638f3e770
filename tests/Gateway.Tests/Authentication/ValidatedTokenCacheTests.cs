using Chat.Gateway.Authentication;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway.Tests.Authentication;

public class ValidatedTokenCacheTests
{
    private static readonly AuthenticatedCaller Caller = new(new CallerIdentity("default", "u1", null, [], TokenKind.Jwt), "default");

    [Fact]
    public void An_entry_lives_until_its_token_expires()
    {
        var time = new ManualTime();
        var cache = new ValidatedTokenCache(time);
        cache.Add("token", new CachedToken(Caller, "secret", time.GetUtcNow().AddMinutes(1)));

        Assert.True(cache.TryGet("token", out var entry));
        Assert.Same(Caller, entry.Caller);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(cache.TryGet("token", out _));
    }

    [Fact]
    public void A_full_cache_makes_room_only_from_expired_entries()
    {
        var time = new ManualTime();
        var cache = new ValidatedTokenCache(time);
        for (var i = 0; i < ValidatedTokenCache.Capacity; i++)
        {
            cache.Add($"short-{i}", new CachedToken(Caller, "secret", time.GetUtcNow().AddMinutes(1)));
        }

        cache.Add("refused", new CachedToken(Caller, "secret", time.GetUtcNow().AddHours(1)));
        Assert.False(cache.TryGet("refused", out _));

        time.Advance(TimeSpan.FromMinutes(2));
        cache.Add("admitted", new CachedToken(Caller, "secret", time.GetUtcNow().AddHours(1)));
        Assert.True(cache.TryGet("admitted", out _));
        Assert.False(cache.TryGet("short-0", out _));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
