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
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

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
        var rows = new List<(Guid Id, string Type, string Payload, int Attempts)>(BatchSize);
        await using (var claim = new NpgsqlCommand(
            """
            SELECT id, message_type, payload::text, attempts FROM outbox_messages
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
                rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var published = new List<Guid>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                await PublishAsync(row.Id, row.Type, row.Payload, cancellationToken);
                published.Add(row.Id);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await PostponeAsync(connection, transaction, row.Id, row.Attempts + 1, exception, cancellationToken);
                LogPublishFailed(exception, row.Id, row.Type, row.Attempts + 1);
                // The broker is probably away: keep the order of what is left and try again later.
                break;
            }
        }

        if (published.Count > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM outbox_messages WHERE id = ANY(@ids)", connection, transaction);
            delete.Parameters.AddWithValue("ids", published.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return published.Count;
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

    private static async Task PostponeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int attempts, Exception error, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempts, 10))));
        await using var postpone = new NpgsqlCommand(
            "UPDATE outbox_messages SET attempts = @attempts, next_attempt_at = now() + @backoff, last_error = @error WHERE id = @id",
            connection, transaction);
        postpone.Parameters.AddWithValue("attempts", attempts);
        postpone.Parameters.AddWithValue("backoff", backoff);
        postpone.Parameters.AddWithValue("error", error.Message);
        postpone.Parameters.AddWithValue("id", id);
        await postpone.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({MessageType}) not published (attempt {Attempt}); will retry")]
    private partial void LogPublishFailed(Exception exception, Guid messageId, string messageType, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher cannot reach the database; will retry")]
    private partial void LogDatabaseUnavailable(Exception exception);
}
