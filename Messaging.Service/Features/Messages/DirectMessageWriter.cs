using System.Runtime.ExceptionServices;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Batching;
using Chat.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// Stores direct messages. Sends that arrive while earlier ones are being written are stored together: one implicit
/// transaction with one statement per table and one commit for all of them, then one call to Redis for their events.
/// What a message costs the database is then mostly its rows, not its statements and commit (measured: a direct send
/// one at a time spent more of the database's time starting statements and committing than writing rows).
/// </summary>
/// <remarks>
/// A send is acknowledged only after its own transaction commits. Messages of one batch that share a user go into
/// separate transactions (a user's feed takes one entry per statement), and a transaction the database refuses is
/// retried message by message, so one bad message fails only its own send.
/// </remarks>
public sealed class DirectMessageWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly Outbox outbox;
    private readonly FeedRelay relay;
    private readonly Coalescer<DirectSend, ExceptionDispatchInfo?> coalescer;

    public DirectMessageWriter(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay, IOptions<MessagingOptions> options)
    {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.relay = relay;
        coalescer = new(WriteAsync, new CoalescerOptions { Concurrency = options.Value.DirectWriters, MaxBatch = options.Value.DirectBatch });
    }

    /// <summary>Stores <paramref name="message"/>; completes once it has committed and its events are on their way.</summary>
    public async Task StoreAsync(string appId, Chat21Message message) =>
        (await coalescer.SubmitAsync(new(appId, message)))?.Throw();

    public ValueTask DisposeAsync() => coalescer.DisposeAsync();

    private async Task<IReadOnlyList<ExceptionDispatchInfo?>> WriteAsync(IReadOnlyList<DirectSend> sends)
    {
        var outcomes = new ExceptionDispatchInfo?[sends.Count];
        foreach (var transaction in Transactions(sends))
        {
            var failure = await TryCommitAsync(sends, transaction);
            foreach (var index in transaction)
            {
                outcomes[index] = failure is { SourceException: PostgresException } && transaction.Count > 1
                    ? await TryCommitAsync(sends, [index])
                    : failure;
            }
        }

        return outcomes;
    }

    private async Task<ExceptionDispatchInfo?> TryCommitAsync(IReadOnlyList<DirectSend> sends, List<int> transaction)
    {
        try
        {
            await CommitAsync(sends, transaction);
            return null;
        }
        catch (Exception exception)
        {
            return ExceptionDispatchInfo.Capture(exception);
        }
    }

    private async Task CommitAsync(IReadOnlyList<DirectSend> sends, List<int> transaction)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var appId = sends[transaction[0]].AppId;
        var deliveries = transaction.Select(index => new Delivery(sends[index].Message, Participant.OfDirect(sends[index].Message))).ToArray();
        var events = new OutboxEvents();
        var appended = await MessageStore.StoreAsync(connection, null, appId, deliveries, events, CancellationToken.None);
        relay.Publish(appended);
        outbox.Send(events);
    }

    /// <summary>
    /// Splits <paramref name="sends"/> (by position) into transactions of one app whose messages share no user, keeping
    /// each user's messages in the order they arrived.
    /// </summary>
    private static List<List<int>> Transactions(IReadOnlyList<DirectSend> sends)
    {
        var transactions = new List<(string AppId, HashSet<string> Users, List<int> Sends)>();
        for (var i = 0; i < sends.Count; i++)
        {
            var (appId, message) = sends[i];
            // A later transaction of this batch can't commit before an earlier one, so a message must not join a
            // transaction before the last one that already holds one of its users.
            var earliest = transactions.FindLastIndex(t => t.AppId == appId && (t.Users.Contains(message.Sender) || t.Users.Contains(message.Recipient))) + 1;
            var target = transactions.FindIndex(earliest, t => t.AppId == appId);
            if (target < 0)
            {
                transactions.Add((appId, new(StringComparer.Ordinal), []));
                target = transactions.Count - 1;
            }

            transactions[target].Users.Add(message.Sender);
            transactions[target].Users.Add(message.Recipient);
            transactions[target].Sends.Add(i);
        }

        return [.. transactions.Select(t => t.Sends)];
    }

    private sealed record DirectSend(string AppId, Chat21Message Message);
}
