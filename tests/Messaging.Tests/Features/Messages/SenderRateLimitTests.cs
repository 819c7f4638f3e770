extern alias MessagingService;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.ServiceDefaults.Logging;
using Chat.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Microsoft.Extensions.Options;
using MessagingOptions = MessagingService::Chat.Messaging.Features.Messages.MessagingOptions;
using SenderRateLimiter = MessagingService::Chat.Messaging.Features.Messages.SenderRateLimiter;

namespace Chat.Messaging.Tests.Features.Messages;

[Collection(MessagingCollection.Name)]
public sealed class SenderRateLimitTests(MessagingFixture fixture)
{
    /// <summary>A Redis that refuses connections at once.</summary>
    private const string UnreachableRedis = "127.0.0.1:1,connectTimeout=200,abortConnect=false";

    private readonly string sender = $"sender-{Guid.NewGuid():N}";

    private string App => fixture.RateLimitedApp;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string app, string from, string to) =>
        client.PostAsJsonAsync($"/api/{app}/messages", new { sender_fullname = from, recipient_id = to, recipient_fullname = to, text = "hi" });

    private Task<HttpResponseMessage> SendAsync(string from, string to) =>
        SendAsync(fixture.ClientFor(TestIdentity.User(App, from)), App, from, to);

    [Fact]
    public async Task A_sender_over_the_apps_capacity_gets_429_with_retry_after_and_the_message_is_not_stored()
    {
        for (var i = 0; i < MessagingFixture.RateLimitedCapacity; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(sender, "bob")).StatusCode);
        }

        var refused = await SendAsync(sender, "bob");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 20);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.StartsWith("Too many messages: ", body.GetProperty("err").GetString());
        var timeline = await fixture.ClientFor(TestIdentity.User(App, sender)).GetFromJsonAsync<JsonElement>(
            $"/api/{App}/{sender}/conversations/bob/messages");
        Assert.Equal(MessagingFixture.RateLimitedCapacity, timeline.GetProperty("result").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_sends_of_one_sender_draw_from_one_bucket_exactly()
    {
        var client = fixture.ClientFor(TestIdentity.User(App, sender));
        var others = Enumerable.Range(0, 20).Select(i => fixture.ClientFor(TestIdentity.User(App, $"{sender}-other-{i}"))).ToArray();

        // Other senders' takes go to Redis with these in the same calls; each bucket still counts its own.
        var responses = await Task.WhenAll(
            Enumerable.Range(0, 12).Select(i => SendAsync(client, App, sender, $"peer-{i}"))
                .Concat(others.Select((other, i) => SendAsync(other, App, $"{sender}-other-{i}", "bob"))));

        var own = responses.Take(12).Select(response => response.StatusCode).ToArray();
        Assert.Equal(MessagingFixture.RateLimitedCapacity, own.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(12 - MessagingFixture.RateLimitedCapacity, own.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.All(responses.Skip(12), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task The_limit_is_per_sender()
    {
        for (var i = 0; i <= MessagingFixture.RateLimitedCapacity; i++)
        {
            await SendAsync(sender, "bob");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(sender, "carol")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync($"other-{sender}", "bob")).StatusCode);
    }

    [Fact]
    public async Task Other_apps_have_the_default_capacity_of_30()
    {
        var app = TestIdentity.NewAppId();
        var client = fixture.ClientFor(TestIdentity.User(app, sender));
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, app, sender, "bob")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(client, app, sender, "bob")).StatusCode);
    }

    [Fact]
    public async Task Replicas_share_one_bucket_through_redis()
    {
        await using var second = fixture.SecondReplica();
        var throughSecond = second.CreateClient(TestIdentity.User(App, sender));
        for (var i = 0; i < MessagingFixture.RateLimitedCapacity; i++)
        {
            var client = i % 2 == 0 ? fixture.ClientFor(TestIdentity.User(App, sender)) : throughSecond;
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, App, sender, "bob")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(throughSecond, App, sender, "bob")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(sender, "bob")).StatusCode);
    }

    [Fact]
    public async Task An_apps_limit_is_read_again_when_the_configuration_reloads()
    {
        var settings = new MemoryConfigurationSource { InitialData = [new($"Messaging:SenderRateLimit:Apps:{App}:Capacity", "5")] };
        var configuration = new ConfigurationRoot([settings.Build(new ConfigurationBuilder())]);
        await using var services = new ServiceCollection()
            .Configure<MessagingOptions>(configuration.GetSection(MessagingOptions.Section))
            .BuildServiceProvider();
        await using var limiter = new SenderRateLimiter(
            fixture.Service.Services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<IOptionsMonitor<MessagingOptions>>(),
            TimeProvider.System, NullLogger<SenderRateLimiter>.Instance);
        Assert.Equal(new SenderRateLimiter.Limit(5, SenderRateLimiter.DefaultRefillPerMinute), limiter.LimitFor(App));

        configuration[$"Messaging:SenderRateLimit:Apps:{App}:Capacity"] = "7";
        Assert.Equal(5, limiter.LimitFor(App).Capacity);
        configuration.Reload();

        Assert.Equal(new SenderRateLimiter.Limit(7, SenderRateLimiter.DefaultRefillPerMinute), limiter.LimitFor(App));
        Assert.Equal(new SenderRateLimiter.Limit(SenderRateLimiter.DefaultCapacity, SenderRateLimiter.DefaultRefillPerMinute),
            limiter.LimitFor(TestIdentity.NewAppId()));
    }

    [Fact]
    public async Task A_bucket_refills_one_message_per_interval_up_to_its_capacity_and_says_how_long_to_wait()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var redis = fixture.Service.Services.GetRequiredService<IConnectionMultiplexer>();
        await using var limiter = new SenderRateLimiter(
            redis, fixture.Service.Services.GetRequiredService<IOptionsMonitor<MessagingOptions>>(), clock, NullLogger<SenderRateLimiter>.Instance);
        var limit = new SenderRateLimiter.Limit(Capacity: 3, RefillPerMinute: 3);
        var interval = TimeSpan.FromSeconds(20);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await limiter.TryTakeAsync(App, sender, limit));
        }

        Assert.Equal(interval, await limiter.TryTakeAsync(App, sender, limit));
        clock.Now += interval - TimeSpan.FromSeconds(5);
        Assert.Equal(TimeSpan.FromSeconds(5), await limiter.TryTakeAsync(App, sender, limit));
        clock.Now += TimeSpan.FromSeconds(5);
        Assert.Null(await limiter.TryTakeAsync(App, sender, limit));
        Assert.Equal(interval, await limiter.TryTakeAsync(App, sender, limit));

        // Idle for longer than a whole refill: full again, never fuller.
        clock.Now += 3 * interval + TimeSpan.FromMinutes(5);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await limiter.TryTakeAsync(App, sender, limit));
        }

        Assert.Equal(interval, await limiter.TryTakeAsync(App, sender, limit));
        // The bucket lives in Redis only until it would be full again.
        var keys = redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: $"*:{App}:{sender}").ToArray();
        var timeToLive = await redis.GetDatabase().KeyTimeToLiveAsync(Assert.Single(keys));
        Assert.InRange(timeToLive!.Value, 3 * interval - TimeSpan.FromSeconds(10), 3 * interval);
    }

    [Fact]
    public async Task While_redis_is_unreachable_the_replica_keeps_the_limit_and_warns_once_an_interval_with_the_count()
    {
        var unreachableOptions = ConfigurationOptions.Parse(UnreachableRedis);
        unreachableOptions.BacklogPolicy = BacklogPolicy.FailFast;
        using var unreachable = await ConnectionMultiplexer.ConnectAsync(unreachableOptions);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var log = new WarningLog();
        await using var limiter = new SenderRateLimiter(
            unreachable, fixture.Service.Services.GetRequiredService<IOptionsMonitor<MessagingOptions>>(), clock, log);
        var limit = limiter.LimitFor(App);
        var interval = TimeSpan.FromMinutes(1) / limit.RefillPerMinute;

        for (var i = 0; i < limit.Capacity; i++)
        {
            Assert.Null(await limiter.TryTakeAsync(App, sender, limit));
        }

        Assert.Equal(interval, await limiter.TryTakeAsync(App, sender, limit));
        clock.Now += RecurringWarning.DefaultInterval - TimeSpan.FromSeconds(1);
        Assert.Equal(interval - RecurringWarning.DefaultInterval + TimeSpan.FromSeconds(1), await limiter.TryTakeAsync(App, sender, limit));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.NotNull(await limiter.TryTakeAsync(App, sender, limit));
        clock.Now += interval;
        Assert.Null(await limiter.TryTakeAsync(App, sender, limit));

        Assert.Equal(
            [
                $"Sender rate limit checked by this replica alone, Redis is unreachable; sends checked so since the last warning: 1 (the latest by {App}/{sender})",
                $"Sender rate limit checked by this replica alone, Redis is unreachable; sends checked so since the last warning: {limit.Capacity + 2} (the latest by {App}/{sender})",
                $"Sender rate limit checked by this replica alone, Redis is unreachable; sends checked so since the last warning: 1 (the latest by {App}/{sender})",
            ],
            log.Warnings);
    }

    [Fact]
    public async Task A_replica_that_cannot_reach_redis_refuses_a_sender_over_the_default_limit_of_30()
    {
        await using var replica = fixture.SecondReplica(("ConnectionStrings:cache", UnreachableRedis));
        var app = TestIdentity.NewAppId();
        var client = replica.CreateClient(TestIdentity.User(app, sender));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await SendAsync(client, app, sender, "bob")).StatusCode);
        }

        Assert.Equal(30, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_replica_that_cannot_reach_redis_is_degraded_not_unready()
    {
        await using var replica = fixture.SecondReplica(("ConnectionStrings:cache", UnreachableRedis));

        var response = await replica.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    private sealed class WarningLog : ILogger<SenderRateLimiter>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
