using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Chat.Benchmarks.Load;
using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Delivery;

/// <summary>
/// Follows every message of a <c>send-sse</c> run from its send to its listener. The text of message n is
/// <c>bench-sse &lt;probe tag&gt; &lt;n&gt; &lt;send time&gt;</c>, the send time a <see cref="Stopwatch"/> timestamp taken as
/// the request is written; the response says whether the service took the message, the listener's event when
/// it arrived. State is kept in arrays indexed by n, each slot with one writer, so following allocates nothing.
/// </summary>
public sealed class DeliveryProbe
{
    private const string ListenerPrefix = "bench-l";

    private static ReadOnlySpan<byte> TextPrefix => "bench-sse "u8;

    // Tells this run's messages from those of an earlier run still arriving on a reused listener's feed.
    private readonly long tag = Stopwatch.GetTimestamp();
    private readonly int listeners;
    private readonly long[] sentAt;
    private readonly int[] statusCodes;
    private readonly long[] receivedAt;
    private readonly long warmupTicks;
    private long measureFrom = long.MaxValue;
    private long duplicates;

    /// <param name="options">An open-loop run: its rate, warm-up and duration bound how many messages are sent.</param>
    public DeliveryProbe(int listeners, LoadOptions options)
    {
        var rate = options.Rate ?? throw new ArgumentException("Following deliveries needs an open-loop run.", nameof(options));
        this.listeners = listeners;

        // Each connection sends at most one request per interval of its schedule, plus one; numbers start at 1.
        var capacity = checked((int)Math.Ceiling(rate * (options.Warmup + options.Duration).TotalSeconds) + options.Connections + 1);
        sentAt = new long[capacity];
        statusCodes = new int[capacity];
        receivedAt = new long[capacity];
        warmupTicks = RunWindow.Ticks(options.Warmup);
    }

    public static string ListenerId(int index) => ListenerPrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Message <paramref name="number"/>: from a rotating sender to the listeners in turn, stamped with the time now.</summary>
    public int WriteMessage(Span<byte> destination, long number)
    {
        var now = Stopwatch.GetTimestamp();
        // The run's first message opens its window (after any wait for a quiet machine): messages sent from one warm-up
        // later on are measured.
        Interlocked.CompareExchange(ref measureFrom, now + warmupTicks, long.MaxValue);
        Volatile.Write(ref sentAt[number], now);
        return MessagingScenarios.Written(
            Utf8.TryWrite(
                destination,
                $$"""{"sender_id":"bench-s{{number % MessagingScenarios.Senders}}","sender_fullname":"Bench Sender","recipient_id":"{{ListenerPrefix}}{{number % listeners}}","recipient_fullname":"Bench Listener","text":"bench-sse {{tag}} {{number}} {{now}}","type":"text","channel_type":"direct"}""",
                out var written),
            written);
    }

    public void Answered(long number, int statusCode) => Volatile.Write(ref statusCodes[number], statusCode);

    /// <summary>Reads one stream event as it is parsed: the arrival of one of this probe's messages, or <c>default</c>.</summary>
    public Arrival Read(string eventType, ReadOnlySpan<byte> data, long receivedTimestamp)
    {
        if (eventType != "message")
        {
            return default;
        }

        // {"conversWith":"..","message":{..,"text":"..",..}}: the message's own properties are at depth 2.
        var json = new Utf8JsonReader(data);
        while (json.Read())
        {
            if (json.TokenType == JsonTokenType.PropertyName && json.CurrentDepth == 2 && json.ValueTextEquals("text"u8))
            {
                return json.Read() && json.TokenType == JsonTokenType.String ? ReadText(json.ValueSpan, receivedTimestamp) : default;
            }
        }

        return default;
    }

    /// <summary>Counts an arrival and records its delivery time into the listener's own histogram.</summary>
    public void Received(Arrival arrival, LatencyHistogram latency)
    {
        if (arrival.Number == 0)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref receivedAt[arrival.Number], arrival.ReceivedAt, 0) != 0)
        {
            Interlocked.Increment(ref duplicates);
        }
        else if (arrival.SentAt >= Volatile.Read(ref measureFrom))
        {
            latency.Record(RunWindow.Microseconds(arrival.ReceivedAt - arrival.SentAt));
        }
    }

    /// <summary>Waits until every measured message the service took has arrived, or <paramref name="timeout"/> has passed.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + RunWindow.Ticks(timeout);
        while (Tally().Missing > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public DeliveryReport Report(IReadOnlyList<EventListener> streams)
    {
        var latency = new LatencyHistogram();
        foreach (var stream in streams)
        {
            latency.Add(stream.Latency);
        }

        var tally = Tally();
        return new DeliveryReport(
            listeners, streams.Count(stream => stream.Lost), tally.Sent, tally.Acknowledged, tally.Received, tally.Missing,
            tally.ReceivedUnacknowledged, Interlocked.Read(ref duplicates), LatencySummary.Of(latency));
    }

    private Arrival ReadText(ReadOnlySpan<byte> text, long receivedTimestamp) =>
        text.StartsWith(TextPrefix)
        && TakeNumber(ref text, TextPrefix.Length, out var messageTag) && messageTag == tag
        && TakeNumber(ref text, 1, out var number) && TakeNumber(ref text, 1, out var sent)
            ? new Arrival(number, sent, receivedTimestamp)
            : default;

    private static bool TakeNumber(ref ReadOnlySpan<byte> text, int skip, out long value)
    {
        value = 0;
        var used = 0;
        var ok = text.Length > skip && Utf8Parser.TryParse(text[skip..], out value, out used);
        text = ok ? text[(skip + used)..] : [];
        return ok;
    }

    // Only messages sent after the warm-up count, like the requests of the load run.
    private (long Sent, long Acknowledged, long Received, long Missing, long ReceivedUnacknowledged) Tally()
    {
        var from = Volatile.Read(ref measureFrom);
        long sent = 0, acknowledged = 0, received = 0, missing = 0, unacknowledged = 0;
        for (var number = 1; number < sentAt.Length; number++)
        {
            if (Volatile.Read(ref sentAt[number]) < from)
            {
                continue;
            }

            var taken = Volatile.Read(ref statusCodes[number]) is >= 200 and < 300;
            var arrived = Volatile.Read(ref receivedAt[number]) != 0;
            sent++;
            acknowledged += taken ? 1 : 0;
            received += arrived ? 1 : 0;
            missing += taken && !arrived ? 1 : 0;
            unacknowledged += arrived && !taken ? 1 : 0;
        }

        return (sent, acknowledged, received, missing, unacknowledged);
    }
}

/// <summary>Message <see cref="Number"/> (0: not a message of this probe), sent and received at these <see cref="Stopwatch"/> timestamps.</summary>
public readonly record struct Arrival(long Number, long SentAt, long ReceivedAt);

/// <summary>Where the messages of a <c>send-sse</c> run went, counting those sent after the warm-up.</summary>
/// <param name="Listeners">Event streams open during the run, one per listening user.</param>
/// <param name="StreamsLost">Streams that ended or failed before the run was over.</param>
/// <param name="Sent">Messages whose request was sent.</param>
/// <param name="Acknowledged">Messages the service answered with 2xx.</param>
/// <param name="Received">Messages that arrived on their listener's stream.</param>
/// <param name="Missing">Acknowledged messages that had not arrived <c>--timeout</c> after the sending stopped.</param>
/// <param name="ReceivedUnacknowledged">Messages that arrived though their request failed or was cut off by the end of the run.</param>
/// <param name="Duplicates">Events for a message that had already arrived (warm-up included).</param>
/// <param name="LatencyMs">From the request's send to the event's arrival, for every message received.</param>
public sealed record DeliveryReport(
    int Listeners,
    int StreamsLost,
    long Sent,
    long Acknowledged,
    long Received,
    long Missing,
    long ReceivedUnacknowledged,
    long Duplicates,
    LatencySummary LatencyMs);
