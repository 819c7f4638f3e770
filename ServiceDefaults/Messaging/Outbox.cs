using System.Text.Json;
using Chat.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// Writes integration events into <c>outbox_messages</c> inside the caller's transaction, so an
/// event exists exactly when the state change it describes was committed.
/// </summary>
public sealed class Outbox(OutboxSignal signal)
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Adds the event to the transaction; call <see cref="Notify"/> after committing.</summary>
    public static async Task EnqueueAsync<TEvent>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TEvent integrationEvent, CancellationToken cancellationToken)
        where TEvent : IntegrationEvent
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { Command(integrationEvent) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The insert for one event, to ride in the same <see cref="NpgsqlBatch"/> as the state change.</summary>
    public static NpgsqlBatchCommand Command<TEvent>(TEvent integrationEvent)
        where TEvent : IntegrationEvent => Command([integrationEvent]);

    /// <summary>The insert for several events of one type, in one statement.</summary>
    public static NpgsqlBatchCommand Command<TEvent>(IEnumerable<TEvent> integrationEvents)
        where TEvent : IntegrationEvent
    {
        var payloads = integrationEvents.Select(e => JsonSerializer.Serialize(e, SerializerOptions)).ToArray();
        return new("INSERT INTO outbox_messages (id, message_type, payload) SELECT id, $2, payload FROM unnest($1::uuid[], $3::jsonb[]) AS e(id, payload)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]> { TypedValue = [.. payloads.Select(_ => Guid.CreateVersion7())] },
                new NpgsqlParameter<string> { TypedValue = typeof(TEvent).FullName! },
                new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, TypedValue = payloads },
            },
        };
    }

    /// <summary>Wakes the dispatcher so committed events go out at once rather than on its next poll.</summary>
    public void Notify() => signal.Raise();
}

/// <summary>An in-process doorbell between request handlers and the <see cref="OutboxDispatcher"/>.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim bell = new(0, 1);

    public void Raise()
    {
        if (bell.CurrentCount == 0)
        {
            try
            {
                bell.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller rang first; one ring is enough.
            }
        }
    }

    /// <summary>Waits for a ring or the timeout; a cancelled wait simply ends.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await ((Task)bell.WaitAsync(timeout, cancellationToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    public void Dispose() => bell.Dispose();
}
