using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Chat.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// The integration events one transaction writes to <c>outbox_messages</c>, so an event exists exactly when the state
/// change it describes was committed. Put <see cref="Add(IntegrationEvent)"/>'s insert in the transaction; once it
/// commits, hand this to <see cref="Outbox.Send"/>. Each event keeps the trace it was written in (<see cref="OutboxDispatcher"/>
/// publishes it there).
/// </summary>
public sealed class OutboxEvents
{
    private readonly List<OutboxEvent> events = [];

    internal IReadOnlyList<OutboxEvent> Items => events;

    /// <summary>
    /// The insert of <paramref name="integrationEvent"/>, written in the trace of <see cref="Activity.Current"/>, to ride in the
    /// same <see cref="NpgsqlBatch"/> as the state change.
    /// </summary>
    public NpgsqlBatchCommand Add(IntegrationEvent integrationEvent) => Add([(integrationEvent, Activity.Current?.Context ?? default)]);

    /// <summary>
    /// The insert of several events, in one statement, each with the trace it belongs to: work batched from several
    /// requests runs in none of theirs, so it names each event's own.
    /// </summary>
    public NpgsqlBatchCommand Add(IEnumerable<(IntegrationEvent Event, ActivityContext Trace)> integrationEvents)
    {
        var added = integrationEvents.Select(e => new OutboxEvent(Guid.CreateVersion7(), e.Event, e.Trace)).ToArray();
        events.AddRange(added);
        return new(
            """
            INSERT INTO outbox_messages (id, message_type, payload, trace_parent)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[])
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]> { TypedValue = [.. added.Select(e => e.Id)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. added.Select(e => e.Message.GetType().FullName!)] },
                new NpgsqlParameter<string[]>
                {
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
                    TypedValue = [.. added.Select(e => JsonSerializer.Serialize(e.Message, e.Message.GetType(), Outbox.SerializerOptions))],
                },
                new NpgsqlParameter<string?[]> { TypedValue = [.. added.Select(e => TraceParent.Format(e.Trace))] },
            },
        };
    }
}

/// <summary>An event with the id of its outbox row, which is also its MessageId on the bus, and the trace it was written in.</summary>
internal sealed record OutboxEvent(Guid Id, IntegrationEvent Message, ActivityContext Trace);

/// <summary>A trace context as the W3C <c>traceparent</c> text stored with an outbox row.</summary>
internal static class TraceParent
{
    public static string? Format(ActivityContext context) =>
        context == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    public static ActivityContext Parse(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}

/// <summary>
/// Hands committed events to the <see cref="OutboxDispatcher"/>, which publishes them from memory and then deletes their
/// rows: the table is written and deleted from by primary key, never searched on the way. Rows left behind (a crash
/// between commit and publish, a broker outage, a hand-over dropped because the dispatcher is far behind) are found by
/// the dispatcher's sweep.
/// </summary>
public sealed class Outbox
{
    /// <summary>Events in hand at most; beyond it a hand-over is dropped and its row waits for the sweep.</summary>
    public const int Capacity = 50_000;

    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private readonly Channel<OutboxEvent> handed = Channel.CreateBounded<OutboxEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    internal ChannelReader<OutboxEvent> Handed => handed.Reader;

    /// <summary>Publishes the events of a committed transaction; never blocks.</summary>
    public void Send(OutboxEvents committed)
    {
        foreach (var item in committed.Items)
        {
            handed.Writer.TryWrite(item);
        }
    }
}
