using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Messaging.Features.Realtime;

/// <summary>
/// <c>GET /api/{app_id}/events</c>: the caller's feed as Server-Sent Events. Every event carries its
/// feed number as <c>id:</c>; a client that reconnects with <c>Last-Event-ID</c> (header, or the
/// <c>lastEventId</c> query parameter for clients that can't set headers) receives everything after it
/// first, from the database, then live events. Without one the stream starts at the present.
/// </summary>
public static class StreamEvents
{
    /// <summary>Events read from the database per query when catching up.</summary>
    private const int Page = 500;

    /// <summary>Live events a slow stream may fall behind by before it drops them and catches up from the database.</summary>
    private const int LiveBacklog = 1024;

    internal static void Map(RouteGroupBuilder api) =>
        api.MapGet("/events", HandleAsync).WithName(nameof(StreamEvents));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        HttpContext context,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        FeedRelay relay,
        IOptions<RealtimeOptions> options,
        IHostApplicationLifetime lifetime)
    {
        var resumeFrom = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header
            ? header
            : context.Request.Query["lastEventId"].ToString();
        long? lastEventId = null;
        if (resumeFrom.Length > 0)
        {
            if (!long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Chat21.BadRequest("Last-Event-ID must be the id of an event of this stream");
            }

            lastEventId = parsed;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var live = Channel.CreateBounded<FeedEvent>(
            new BoundedChannelOptions(LiveBacklog) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        await using var subscription = await relay.SubscribeAsync(appId, caller.UserId, live.Writer);
        var stream = new EventStream(context.Response, dataSource, appId, caller.UserId, options.Value, () => subscription is not null && relay.IsConnected);
        try
        {
            await stream.RunAsync(lastEventId, live.Reader, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client left or the replica is stopping; a client reconnects with its Last-Event-ID.
        }

        return Results.Empty;
    }

    private sealed class EventStream(
        HttpResponse response, NpgsqlDataSource dataSource, string appId, string userId, RealtimeOptions options, Func<bool> relaying)
    {
        private readonly StringBuilder pending = new();
        private long last;
        private long lastWriteTicks = Environment.TickCount64;

        public async Task RunAsync(long? lastEventId, ChannelReader<FeedEvent> live, CancellationToken cancellationToken)
        {
            // The subscription is already listening, so anything committed after this read reaches the stream one way or the other.
            var head = await Feed.HeadAsync(dataSource, appId, userId, cancellationToken);
            await StartAsync(cancellationToken);
            last = lastEventId ?? head;
            if (last > head)
            {
                Reset(head);
            }

            await CatchUpAsync(cancellationToken);
            if (last < head)
            {
                Reset(head);
            }

            await FlushAsync(cancellationToken);
            await ListenAsync(live, cancellationToken);
        }

        private async Task StartAsync(CancellationToken cancellationToken)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            pending.Append("retry: 2000\n\n");
            await FlushAsync(cancellationToken);
        }

        private async Task ListenAsync(ChannelReader<FeedEvent> live, CancellationToken cancellationToken)
        {
            var tick = Task.Delay(TickEvery(), cancellationToken);
            Task<bool>? readable = null;
            while (true)
            {
                readable ??= live.WaitToReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(readable, tick) == readable)
                {
                    await readable;
                    readable = null;
                    await TakeLiveAsync(live, cancellationToken);
                }
                else
                {
                    await tick;
                    var relayed = relaying();
                    tick = Task.Delay(TickEvery(), cancellationToken);
                    await CatchUpAsync(cancellationToken);
                    if (pending.Length == 0 && (relayed || Environment.TickCount64 - lastWriteTicks >= options.Heartbeat.TotalMilliseconds))
                    {
                        pending.Append(": heartbeat\n\n");
                    }
                }

                await FlushAsync(cancellationToken);
            }
        }

        /// <summary>Sends what Redis delivered; a number out of sequence means something was missed, so the database fills the gap.</summary>
        private async Task TakeLiveAsync(ChannelReader<FeedEvent> live, CancellationToken cancellationToken)
        {
            while (live.TryRead(out var feedEvent))
            {
                if (feedEvent.Seq <= last)
                {
                    continue;
                }

                if (feedEvent.Seq == last + 1)
                {
                    Append(feedEvent);
                }
                else
                {
                    await CatchUpAsync(cancellationToken);
                }
            }
        }

        /// <summary>Appends every stored event after <see cref="last"/>; a hole at the start means retention removed those events.</summary>
        private async Task CatchUpAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var events = await Feed.ReadAfterAsync(dataSource, appId, userId, last, Page, cancellationToken);
                if (events.Count == 0)
                {
                    return;
                }

                if (events[0].Seq > last + 1)
                {
                    Reset(events[0].Seq - 1);
                }

                foreach (var feedEvent in events)
                {
                    Append(feedEvent);
                }

                if (events.Count < Page)
                {
                    return;
                }

                await FlushAsync(cancellationToken);
            }
        }

        private void Append(FeedEvent feedEvent)
        {
            pending.Append("id: ").Append(feedEvent.Seq).Append("\nevent: ").Append(feedEvent.Event)
                .Append("\ndata: ").Append(feedEvent.Data).Append("\n\n");
            last = feedEvent.Seq;
        }

        /// <summary>Events before <paramref name="seq"/> can't be replayed: the client reloads its state over REST and goes on from here.</summary>
        private void Reset(long seq)
        {
            pending.Append("id: ").Append(seq).Append("\nevent: ").Append(Feed.ResetEvent)
                .Append("\ndata: {\"reason\":\"The events after Last-Event-ID are no longer available; reload conversations\"}\n\n");
            last = seq;
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (pending.Length == 0)
            {
                return;
            }

            await response.WriteAsync(pending.ToString(), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            pending.Clear();
            lastWriteTicks = Environment.TickCount64;
        }

        /// <summary>With Redis relaying, a tick is a heartbeat and a safety check; without, the database is polled more often.</summary>
        private TimeSpan TickEvery() => relaying() || options.PollWithoutRedis > options.Heartbeat ? options.Heartbeat : options.PollWithoutRedis;
    }
}
