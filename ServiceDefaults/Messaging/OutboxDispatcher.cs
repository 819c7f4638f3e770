using System.Text.Json;
using Chat.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> so several
/// replicas share the work without double-sending; a published row is deleted in the same
/// transaction that claimed it, and a failed one is pushed back with exponential backoff. The
/// MassTransit MessageId is the row id, which is what consumers' inboxes de-duplicate on.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int dispatched;
            try
            {
                dispatched = await DispatchBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogDatabaseUnavailable(exception);
                dispatched = 0;
            }

            if (dispatched < BatchSize)
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch of due rows; returns how many were published.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, string Type, string Payload)>(BatchSize);
        await using (var claim = new NpgsqlCommand(
            """
            SELECT id, message_type, payload::text FROM outbox_messages
            WHERE next_attempt_at <= now()
            ORDER BY created_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("limit", BatchSize);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        // Publish the whole batch at once: each publish waits for the broker's confirm, and one at a
        // time that round trip caps the outbox at a few hundred events a second. Consumers never rely
        // on delivery order (events carry versions; inboxes de-duplicate).
        var outcomes = await Task.WhenAll(rows.Select(row => TryPublishAsync(row.Id, row.Type, row.Payload, cancellationToken)));
        var published = outcomes.Where(outcome => outcome.Error is null).Select(outcome => outcome.Id).ToArray();
        var failed = outcomes.Where(outcome => outcome.Error is not null).ToArray();
        if (published.Length > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM outbox_messages WHERE id = ANY(@ids)", connection, transaction);
            delete.Parameters.AddWithValue("ids", published);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (failed.Length > 0)
        {
            await PostponeAsync(connection, transaction, failed.Select(outcome => outcome.Id).ToArray(), failed[0].Error!, cancellationToken);
            LogPublishFailed(failed[0].Error!, failed.Length, rows.Count);
        }

        await transaction.CommitAsync(cancellationToken);
        return published.Length;
    }

    private async Task<(Guid Id, Exception? Error)> TryPublishAsync(Guid id, string typeName, string payload, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(id, typeName, payload, cancellationToken);
            return (id, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (id, exception);
        }
    }

    private async Task PublishAsync(Guid id, string typeName, string payload, CancellationToken cancellationToken)
    {
        var messageType = typeof(IntegrationEvent).Assembly.GetType(typeName, throwOnError: true)!;
        var message = JsonSerializer.Deserialize(payload, messageType, Outbox.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox row {id} has an empty payload.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        await bus.Publish(message, messageType, context => context.MessageId = id, timeout.Token);
    }

    /// <summary>Pushes failed rows back with exponential backoff (250 ms doubling, at most 30 s).</summary>
    private static async Task PostponeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] ids, Exception error, CancellationToken cancellationToken)
    {
        await using var postpone = new NpgsqlCommand(
            """
            UPDATE outbox_messages
            SET attempts = attempts + 1,
                next_attempt_at = now() + least(interval '30 seconds', interval '250 milliseconds' * power(2, least(attempts + 1, 10))),
                last_error = @error
            WHERE id = ANY(@ids)
            """,
            connection, transaction);
        postpone.Parameters.AddWithValue("error", error.Message);
        postpone.Parameters.AddWithValue("ids", ids);
        await postpone.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Claimed} outbox messages not published; they will be retried")]
    private partial void LogPublishFailed(Exception exception, int failed, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher cannot reach the database; will retry")]
    private partial void LogDatabaseUnavailable(Exception exception);
}
