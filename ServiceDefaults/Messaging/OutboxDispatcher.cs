using System.Diagnostics;
using System.Text.Json;
using Chat.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows, then deletes them. Events handed over by <see cref="Outbox.Send"/> are published
/// from memory as soon as they arrive. A sweep every <see cref="SweepInterval"/> publishes rows older than
/// <see cref="SweepAge"/> that are still there: left by a crash, by a failed publish (pushed back with exponential
/// backoff), or by any replica. It claims them with <c>FOR UPDATE SKIP LOCKED</c>, so replicas share that work. The
/// MassTransit MessageId is the row id, which is what consumers' inboxes de-duplicate on: an event published twice (a
/// sweep meeting a publish that took longer than <see cref="SweepAge"/>) changes nothing. Each publish runs in a producer
/// activity of <see cref="ActivitySourceName"/> parented to the trace the event was written in, so MassTransit's send and
/// the consumers continue the request's trace although the publish happens after it, on a path of its own.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    Outbox outbox,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const string ActivitySourceName = "Chat.Outbox";

    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SweepAge = TimeSpan.FromSeconds(5);
    private const int BatchSize = 200;

    /// <summary>
    /// The table is a queue: rows come and go faster than statistics follow, so the planner believes it empty and would
    /// read it whole, dead rows and all (measured: 50 ms a claim, and 2 ms a delete of 30 rows by key, under send load).
    /// Every statement on it goes through its primary key.
    /// </summary>
    private const string IndexOnly = "SET LOCAL enable_seqscan = off";

    /// <summary>
    /// Settling a row needs no flush of the WAL before the commit returns: a delete lost in a crash only means the event
    /// is published again, which consumers' inboxes absorb. Under send load, not waiting took the WAL flushes from 0.09 to
    /// 0.065 a direct message (pg_stat_wal), and every sender's commit queues behind the flush in progress.
    /// </summary>
    private const string NoFlushWait = "SET LOCAL synchronous_commit = off";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly ActivitySource Source = new(ActivitySourceName);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PublishHandedAsync(stoppingToken), SweepAsync(stoppingToken));

    /// <summary>Publishes one batch of rows older than <see cref="SweepAge"/>; returns how many were published.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Walking the primary key (a time-ordered UUIDv7) up to the age bound finds the old rows without visiting the
        // recent ones; see IndexOnly.
        await using (var indexOnly = new NpgsqlCommand(IndexOnly + "; SET LOCAL enable_bitmapscan = off", connection, transaction))
        {
            await indexOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = new List<OutboxEvent>(BatchSize);
        var unreadable = new List<(Guid Id, Exception? Error)>();
        await using (var claim = new NpgsqlCommand(
            """
            SELECT id, message_type, payload::text, trace_parent FROM outbox_messages
            WHERE id < $1 AND next_attempt_at <= now()
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = OldestAllowedId(DateTimeOffset.UtcNow - SweepAge) });
            claim.Parameters.Add(new() { Value = BatchSize });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                try
                {
                    rows.Add(new(id, Deserialize(id, reader.GetString(1), reader.GetString(2)),
                        TraceParent.Parse(reader.IsDBNull(3) ? null : reader.GetString(3))));
                }
                catch (Exception exception) when (exception is TypeLoadException or JsonException or NotSupportedException or InvalidOperationException)
                {
                    unreadable.Add((id, exception));
                }
            }
        }

        if (rows.Count + unreadable.Count == 0)
        {
            return 0;
        }

        var published = await PublishAndSettleAsync(connection, transaction, rows, unreadable, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return published;
    }

    private async Task PublishHandedAsync(CancellationToken stoppingToken)
    {
        var batch = new List<OutboxEvent>(BatchSize);
        try
        {
            while (await outbox.Handed.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && outbox.Handed.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                    await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
                    await PublishAndSettleAsync(connection, transaction, batch, [], stoppingToken);
                    await transaction.CommitAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    // Published or not, the rows are still there: the sweep takes them once they are old enough.
                    LogDatabaseUnavailable(exception);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Events still in hand stay in the table for the next start's sweep.
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    while (await SweepOnceAsync(stoppingToken) == BatchSize)
                    {
                        // A full batch: more may be waiting.
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogDatabaseUnavailable(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Publishes <paramref name="rows"/> at once, deletes the published ones and pushes back the others and the
    /// <paramref name="unreadable"/> ones, in one round trip within <paramref name="transaction"/>; returns how many were published.
    /// </summary>
    private async Task<int> PublishAndSettleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxEvent> rows,
        IEnumerable<(Guid Id, Exception? Error)> unreadable, CancellationToken cancellationToken)
    {
        // Each publish waits for the broker's confirm; one at a time that round trip caps the outbox at a few hundred
        // events a second. Consumers never rely on delivery order (events carry versions; inboxes de-duplicate).
        var outcomes = (await Task.WhenAll(rows.Select(row => TryPublishAsync(row, cancellationToken)))).Concat(unreadable).ToArray();
        var published = outcomes.Where(outcome => outcome.Error is null).Select(outcome => outcome.Id).ToArray();
        var failed = outcomes.Where(outcome => outcome.Error is not null).ToArray();
        await using var settle = new NpgsqlBatch(connection, transaction) { BatchCommands = { new(IndexOnly), new(NoFlushWait) } };
        if (published.Length > 0)
        {
            settle.BatchCommands.Add(new("DELETE FROM outbox_messages WHERE id = ANY($1)") { Parameters = { new() { Value = published } } });
        }

        if (failed.Length > 0)
        {
            settle.BatchCommands.Add(new(
                """
                UPDATE outbox_messages
                SET attempts = attempts + 1,
                    next_attempt_at = now() + least(interval '30 seconds', interval '250 milliseconds' * power(2, least(attempts + 1, 10))),
                    last_error = $2
                WHERE id = ANY($1)
                """)
            {
                Parameters = { new() { Value = failed.Select(outcome => outcome.Id).ToArray() }, new() { Value = failed[0].Error!.Message } },
            });
            LogPublishFailed(failed[0].Error!, failed.Length, outcomes.Length);
        }

        await settle.ExecuteNonQueryAsync(cancellationToken);
        return published.Length;
    }

    private async Task<(Guid Id, Exception? Error)> TryPublishAsync(OutboxEvent row, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity($"{row.Message.GetType().Name} publish", ActivityKind.Producer, row.Trace);
        activity?.SetTag("messaging.message.id", row.Id);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PublishTimeout);
            await bus.Publish(row.Message, row.Message.GetType(), context => context.MessageId = row.Id, timeout.Token);
            return (row.Id, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            return (row.Id, exception);
        }
    }

    private static IntegrationEvent Deserialize(Guid id, string typeName, string payload)
    {
        var messageType = typeof(IntegrationEvent).Assembly.GetType(typeName, throwOnError: true)!;
        return JsonSerializer.Deserialize(payload, messageType, Outbox.SerializerOptions) as IntegrationEvent
            ?? throw new InvalidOperationException($"Outbox row {id} has an empty payload.");
    }

    /// <summary>The smallest UUIDv7 of <paramref name="time"/>: every id made before that millisecond sorts below it.</summary>
    private static Guid OldestAllowedId(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = time.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        return new Guid(bytes, bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Claimed} outbox messages not published; they will be retried")]
    private partial void LogPublishFailed(Exception exception, int failed, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher cannot reach the database; will retry")]
    private partial void LogDatabaseUnavailable(Exception exception);
}
