using System.Diagnostics;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Batching;
using Chat.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// Stores group messages. Sends to one group that arrive while earlier ones are being written share a transaction: the
/// group's directory row share-locked once, then one statement per table for all of them. Sends into one group serialize
/// on its members' feed heads, so a busy group's members are then locked once per batch instead of once per message.
/// </summary>
/// <remarks>
/// A transaction takes one group, so it share-locks a single directory row and never waits crosswise with a membership
/// change. A sender who may not post (not a member and not an admin, or the group unknown) is refused without failing the
/// others. A send is acknowledged after its transaction commits; one bad message fails only its own send
/// (<see cref="SharedTransactions{TItem}"/>).
/// </remarks>
public sealed class GroupMessageWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly Outbox outbox;
    private readonly FeedRelay relay;
    private readonly SharedTransactions<GroupSend> transactions;

    public GroupMessageWriter(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay, IOptions<MessagingOptions> options)
    {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.relay = relay;
        transactions = new(Transactions, CommitAsync,
            new CoalescerOptions { Name = "messaging.group-sends", Concurrency = options.Value.GroupWriters, MaxBatch = options.Value.GroupBatch });
    }

    /// <summary>
    /// Stores <paramref name="message"/> in its group; false, storing nothing, when the group is unknown or the sender is not
    /// a member and not <paramref name="byAdmin"/>. Completes once it has committed and its events are on their way.
    /// </summary>
    public async Task<bool> TryStoreAsync(string appId, Chat21Message message, bool byAdmin)
    {
        var send = new GroupSend(appId, message, byAdmin);
        await transactions.CommitAsync(send);
        return send.Stored;
    }

    public ValueTask DisposeAsync() => transactions.DisposeAsync();

    /// <summary>Stores the sends of <paramref name="transaction"/> (all to one group) that may be posted, and marks them stored.</summary>
    private async Task CommitAsync(IReadOnlyList<GroupSend> sends, IReadOnlyList<int> transaction)
    {
        var (appId, first, _) = sends[transaction[0]];
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var databaseTransaction = await connection.BeginTransactionAsync();
        var members = await MessageStore.GroupMembersAsync(connection, databaseTransaction, appId, first.Recipient, CancellationToken.None);
        foreach (var index in transaction)
        {
            var send = sends[index];
            send.Stored = members is not null && (send.ByAdmin || members.Contains(send.Message.Sender, StringComparer.Ordinal));
        }

        var posted = transaction.Select(index => sends[index]).Where(send => send.Stored).ToList();
        if (posted.Count == 0)
        {
            return;
        }

        var deliveries = posted
            .Select(send => new Delivery(send.Message, Participant.OfGroup(members!, send.Message.Recipient, send.Message.RecipientFullname))
            {
                Trace = send.Trace,
            })
            .ToArray();
        var events = new OutboxEvents();
        var appended = await MessageStore.StoreAsync(connection, databaseTransaction, appId, deliveries, events, CancellationToken.None);
        await databaseTransaction.CommitAsync();
        relay.Publish(appended);
        outbox.Send(events);
    }

    /// <summary>Splits <paramref name="sends"/> (by position) into one transaction per group, each in arrival order.</summary>
    private static IEnumerable<IReadOnlyList<int>> Transactions(IReadOnlyList<GroupSend> sends) =>
        Enumerable.Range(0, sends.Count)
            .GroupBy(index => (sends[index].AppId, sends[index].Message.Recipient))
            .Select(group => group.ToList());

    /// <summary>
    /// A send, with the trace of the request that made it, and whether its last transaction stored it (false: its sender may
    /// not post to the group).
    /// </summary>
    private sealed record GroupSend(string AppId, Chat21Message Message, bool ByAdmin)
    {
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        public bool Stored { get; set; }
    }
}
