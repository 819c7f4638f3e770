using System.Diagnostics;
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
/// A send is acknowledged only after its own transaction commits. A batch is one transaction per app, its messages in
/// the order they arrived; one bad message fails only its own send (<see cref="SharedTransactions{TItem}"/>).
/// </remarks>
public sealed class DirectMessageWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly Outbox outbox;
    private readonly FeedRelay relay;
    private readonly SharedTransactions<DirectSend> transactions;

    public DirectMessageWriter(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay, IOptions<MessagingOptions> options)
    {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.relay = relay;
        transactions = new(Transactions, CommitAsync,
            new CoalescerOptions { Name = "messaging.direct-sends", Concurrency = options.Value.DirectWriters, MaxBatch = options.Value.DirectBatch });
    }

    /// <summary>Stores <paramref name="message"/>; completes once it has committed and its events are on their way.</summary>
    public Task StoreAsync(string appId, Chat21Message message) => transactions.CommitAsync(new(appId, message));

    public ValueTask DisposeAsync() => transactions.DisposeAsync();

    private async Task CommitAsync(IReadOnlyList<DirectSend> sends, IReadOnlyList<int> transaction)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var appId = sends[transaction[0]].AppId;
        var deliveries = transaction
            .Select(index => new Delivery(sends[index].Message, Participant.OfDirect(sends[index].Message)) { Trace = sends[index].Trace })
            .ToArray();
        var events = new OutboxEvents();
        var appended = await MessageStore.StoreAsync(connection, null, appId, deliveries, events, CancellationToken.None);
        relay.Publish(appended);
        outbox.Send(events);
    }

    /// <summary>Splits <paramref name="sends"/> (by position) into one transaction per app, each in arrival order.</summary>
    private static IEnumerable<IReadOnlyList<int>> Transactions(IReadOnlyList<DirectSend> sends) =>
        Enumerable.Range(0, sends.Count).GroupBy(index => sends[index].AppId, StringComparer.Ordinal).Select(app => app.ToList());

    /// <summary>A send, with the trace of the request that made it.</summary>
    private sealed record DirectSend(string AppId, Chat21Message Message)
    {
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
    }
}
