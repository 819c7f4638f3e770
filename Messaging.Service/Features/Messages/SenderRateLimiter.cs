using StackExchange.Redis;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// Chat21's per-sender limit: a token bucket per app and sender, <c>Capacity</c> messages refilling
/// <c>RefillPerMinute</c> a minute, kept in Redis by one script so every replica draws from the same bucket.
/// Settings come from <c>Messaging:SenderRateLimit</c>, overridden per app under <c>Apps:{app_id}</c>.
/// When Redis can't be reached the message goes through: a send is never refused for want of the cache.
/// </summary>
public sealed class SenderRateLimiter(IConnectionMultiplexer redis, IConfiguration configuration, TimeProvider clock, ILogger<SenderRateLimiter> logger)
{
    public const string Section = "Messaging:SenderRateLimit";
    public const int DefaultCapacity = 30;
    public const int DefaultRefillPerMinute = 30;

    /// <summary>Refills the bucket for the time since its last use, then takes a token; returns 0, or the milliseconds until one is available.</summary>
    private const string TakeToken =
        """
        local capacity = tonumber(ARGV[1])
        local per_ms = tonumber(ARGV[2]) / 60000
        local now = tonumber(ARGV[3])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or capacity
        local at = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
        local wait = 0
        if tokens >= 1 then
            tokens = tokens - 1
        else
            wait = math.ceil((1 - tokens) / per_ms)
        end
        redis.call('HMSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
        return wait
        """;

    /// <summary>A bucket's size and refill rate.</summary>
    public sealed record Limit(int Capacity, int RefillPerMinute);

    /// <summary>The limit for senders of <paramref name="appId"/>: the app's own setting, else the service's.</summary>
    public Limit LimitFor(string appId)
    {
        var defaults = configuration.GetSection(Section);
        var app = defaults.GetSection($"Apps:{appId}");
        return new(
            Math.Max(1, app.GetValue<int?>("Capacity") ?? defaults.GetValue("Capacity", DefaultCapacity)),
            Math.Max(1, app.GetValue<int?>("RefillPerMinute") ?? defaults.GetValue("RefillPerMinute", DefaultRefillPerMinute)));
    }

    /// <summary>Takes one message from the sender's bucket: null when it may be sent, else how long until it may.</summary>
    public async Task<TimeSpan?> TryTakeAsync(string appId, string sender, Limit limit)
    {
        try
        {
            var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(
                TakeToken,
                [$"messaging:sender-rate:{appId}:{sender}"],
                [limit.Capacity, limit.RefillPerMinute, clock.GetUtcNow().ToUnixTimeMilliseconds()]);
            return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Sender rate limit not checked for {AppId}/{Sender}: Redis is unreachable", appId, sender);
            return null;
        }
    }
}
