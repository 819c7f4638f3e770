using System.Text.Json;
using System.Threading.Channels;
using Chat.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// The integration events one transaction writes to <c>outbox_messages</c>, so an event exists exactly when the state
/// change it describes was committed. Put <see cref="Add(IntegrationEvent)"/>'s insert in the transaction; once it
/// commits, hand this to <see cref="Outbox.Send"/>.
/// </summary>
public sealed class OutboxEvents
{
    private readonly List<OutboxEvent> events = [];

    internal IReadOnlyList<OutboxEvent> Items => events;

    /// <summary>The insert of <paramref name="integrationEvent"/>, to ride in the same <see cref="NpgsqlBatch"/> as the state change.</summary>
    public NpgsqlBatchCommand Add(IntegrationEvent integrationEvent) => Add([integrationEvent]);

    /// <summary>The insert of several events, in one statement.</summary>
    public NpgsqlBatchCommand Add(IEnumerable<IntegrationEvent> integrationEvents)
    {
        var added = integrationEvents.Select(e => new OutboxEvent(Guid.CreateVersion7(), e)).ToArray();
        events.AddRange(added);
        return new("INSERT INTO outbox_messages (id, message_type, payload) SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])")
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
            },
        };
    }
}

/// <summary>An event with the id of its outbox row, which is also its MessageId on the bus.</summary>
internal sealed record OutboxEvent(Guid Id, IntegrationEvent Message);

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
