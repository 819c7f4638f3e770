using System.Globalization;
using System.Threading.Channels;
using Chat.ServiceDefaults.Logging;
using StackExchange.Redis;

namespace Chat.Messaging.Features.Realtime;

/// <summary>
/// Carries committed feed events to whichever replica holds the user's stream, through a Redis
/// channel per user. Redis is only the fast path: a stream that misses a publish (Redis down, a
/// replica dying between commit and publish) notices the gap or the newer head and reads the
/// events from Postgres, where they were committed with the change. While Redis is down, failed publishes are warned
/// about once an interval with their count (<see cref="RecurringWarning"/>), not once per commit.
/// </summary>
public sealed partial class FeedRelay(IConnectionMultiplexer redis, TimeProvider clock, ILogger<FeedRelay> logger)
{
    private readonly RecurringWarning failedPublishes = new(clock, RecurringWarning.DefaultInterval);

    public static RedisChannel ChannelOf(string appId, string userId) =>
        RedisChannel.Literal(string.Create(CultureInfo.InvariantCulture, $"messaging:feed:{appId.Length}:{appId}:{userId}"));

    /// <summary>False while Redis is unreachable: streams then read their feeds from the database more often.</summary>
    public bool IsConnected => redis.IsConnected;

    /// <summary>Publishes every pair of arguments (channel, message) in one call, instead of one call per event.</summary>
    private const string PublishEach = "for i = 1, #ARGV, 2 do redis.call('PUBLISH', ARGV[i], ARGV[i + 1]) end";

    /// <summary>Publishes what a committed transaction appended, in one call to Redis; never throws.</summary>
    public void Publish(AppendedFeed appended)
    {
        try
        {
            var arguments = new RedisValue[appended.Entries.Count * 2];
            FeedEntry? renderedEntry = null;
            var rendered = "";
            for (var i = 0; i < appended.Entries.Count; i++)
            {
                var entry = appended.Entries[i];
                // A group message is the same data for every member: render it once.
                if (renderedEntry is null || entry.Data is not null || !ReferenceEquals(entry.Message, renderedEntry.Message)
                    || entry.ConversWith != renderedEntry.ConversWith)
                {
                    (renderedEntry, rendered) = (entry, entry.Render());
                }

                arguments[2 * i] = (string?)ChannelOf(appended.AppId, entry.UserId);
                arguments[2 * i + 1] = string.Create(CultureInfo.InvariantCulture, $"{appended.Seqs[i]}\n{entry.Event}\n{rendered}");
            }

            if (arguments.Length > 0)
            {
                redis.GetDatabase().ScriptEvaluate(PublishEach, keys: null, values: arguments, CommandFlags.FireAndForget);
            }
        }
        catch (RedisException exception)
        {
            if (failedPublishes.TryReport(out var failed))
            {
                Log.PublishFailed(logger, failed, appended.AppId, exception);
            }
        }
    }

    /// <summary>Delivers the user's live events to <paramref name="events"/>; null when Redis can't be reached.</summary>
    public async Task<IAsyncDisposable?> SubscribeAsync(string appId, string userId, ChannelWriter<FeedEvent> events)
    {
        var subscriber = redis.GetSubscriber();
        var channel = ChannelOf(appId, userId);
        void Handler(RedisChannel _, RedisValue value)
        {
            if (TryParse(value, out var feedEvent))
            {
                events.TryWrite(feedEvent);
            }
        }

        try
        {
            await subscriber.SubscribeAsync(channel, Handler);
            return new Subscription(subscriber, channel, Handler, logger);
        }
        catch (RedisException exception)
        {
            Log.SubscribeFailed(logger, appId, exception);
            return null;
        }
    }

    private static bool TryParse(string? value, out FeedEvent feedEvent)
    {
        feedEvent = null!;
        if (value is null)
        {
            return false;
        }

        var first = value.IndexOf('\n', StringComparison.Ordinal);
        var second = first < 0 ? -1 : value.IndexOf('\n', first + 1);
        if (second < 0 || !long.TryParse(value.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        feedEvent = new(seq, value[(first + 1)..second], value[(second + 1)..]);
        return true;
    }

    private sealed class Subscription(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler, ILogger logger)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, handler);
            }
            catch (RedisException exception)
            {
                Log.UnsubscribeFailed(logger, exception);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "Realtime events of {Failed} commits since the last warning were not published, the latest of app {AppId}; streams will read them from the database")]
        public static partial void PublishFailed(ILogger logger, long failed, string appId, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "An event stream of app {AppId} could not subscribe; it falls back to reading the database")]
        public static partial void SubscribeFailed(ILogger logger, string appId, Exception exception);

        [LoggerMessage(3, LogLevel.Debug, "An event stream's subscription could not be removed")]
        public static partial void UnsubscribeFailed(ILogger logger, Exception exception);
    }
}
