using MassTransit;
using Npgsql;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// A consumer whose effect and its inbox row commit in one transaction: a redelivered message
/// (same MessageId, same consumer) finds its row and changes nothing.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(NpgsqlDataSource dataSource) : IConsumer<TMessage>
    where TMessage : class
{
    /// <summary>The inbox's name for this consumer; stable across renames of the class if overridden.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = Inbox.MessageIdOf(context);
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        if (!await Inbox.TryRecordAsync(connection, transaction, messageId, ConsumerName, context.CancellationToken))
        {
            return;
        }

        await HandleAsync(context, connection, transaction);
        await transaction.CommitAsync(context.CancellationToken);
        await AfterCommitAsync(context);
    }

    /// <summary>Applies the message; everything written through <paramref name="transaction"/> commits with the inbox row.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, NpgsqlConnection connection, NpgsqlTransaction transaction);

    /// <summary>Work that must only follow a committed effect (waking the outbox, realtime pushes).</summary>
    protected virtual Task AfterCommitAsync(ConsumeContext<TMessage> context) => Task.CompletedTask;
}

public static class Inbox
{
    /// <summary>The id a delivery is de-duplicated by; a message without one can't be.</summary>
    public static Guid MessageIdOf<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class =>
        context.MessageId
        ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; it cannot be de-duplicated.");

    /// <summary>Records that <paramref name="consumer"/> handled <paramref name="messageId"/>; false when it already had.</summary>
    public static async Task<bool> TryRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid messageId, string consumer, CancellationToken cancellationToken) =>
        (await TryRecordAsync(connection, transaction, [(messageId, consumer)], cancellationToken))[0];

    /// <summary>
    /// Records each (message, consumer) of <paramref name="deliveries"/> in one statement; per delivery, true when this
    /// is its first record (a delivery repeated within the list counts once, at its first position).
    /// </summary>
    public static async Task<bool[]> TryRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid MessageId, string Consumer)> deliveries,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO inbox_messages (message_id, consumer) SELECT * FROM unnest($1::uuid[], $2::text[])
            ON CONFLICT DO NOTHING
            RETURNING message_id, consumer
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = deliveries.Select(delivery => delivery.MessageId).ToArray() },
                new() { Value = deliveries.Select(delivery => delivery.Consumer).ToArray() },
            },
        };
        var recorded = new HashSet<(Guid, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        return [.. deliveries.Select(delivery => recorded.Remove(delivery))];
    }
}
