using System.Diagnostics;
using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Batching;
using Chat.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// One posting consumer's part of a shared transaction: the connection and transaction its reads and writes go
/// through, and the messages it posts, which are stored together with every other part's once all have run.
/// </summary>
public sealed class Posting(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    internal List<(string AppId, Delivery Delivery)> Deliveries { get; } = [];

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public void Post(string appId, Chat21Message message, IReadOnlyList<Participant> participants) =>
        Deliveries.Add((appId, new Delivery(message, participants)));

    /// <summary>Posts a group message to <paramref name="members"/>, the group being the conversation.</summary>
    public void PostToGroup(string appId, Chat21Message message, IEnumerable<string> members) =>
        Post(appId, message, Participant.OfGroup(members, message.Recipient, message.RecipientFullname));
}

/// <summary>
/// Runs the posting consumers' events that arrive together in one transaction: their inbox records in one statement,
/// each consumer's own reads and writes, then every message they post stored at once, so each user's feed head is
/// locked once per transaction instead of once per event. Events about the same users (every group a bot creates greets
/// the bot) no longer queue on each other's row locks: measured with groups created through the gateway, one
/// transaction per event spent ~10 ms waiting on two feed heads and ~750 µs of PostgreSQL's CPU per group.
/// </summary>
/// <remarks>
/// One transaction runs at a time, so shared transactions never wait on each other. An event is acknowledged after its
/// transaction commits; a bad event fails alone (<see cref="SharedTransactions{TItem}"/>) and goes through the bus's
/// retry and error queue. Work in a shared transaction is not canceled for one consumer's sake.
/// </remarks>
public sealed class SharedPosting : IAsyncDisposable
{
    /// <summary>The most events one transaction takes.</summary>
    public const int MaxBatch = 64;

    /// <summary>Events a posting consumer's endpoint takes from the broker at once: one transaction's worth running, one filling.</summary>
    public const int InFlight = 2 * MaxBatch;

    private readonly NpgsqlDataSource dataSource;
    private readonly Outbox outbox;
    private readonly FeedRelay relay;
    private readonly SharedTransactions<Work> transactions;

    public SharedPosting(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay)
    {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.relay = relay;
        transactions = new(batch => [[.. Enumerable.Range(0, batch.Count)]], CommitAsync, new CoalescerOptions { Name = "messaging.event-posts", Concurrency = 1, MaxBatch = MaxBatch });
    }

    /// <summary>
    /// Runs <paramref name="handle"/> for <paramref name="messageId"/> unless <paramref name="consumer"/> already has;
    /// completes once its transaction has committed and the posted messages' events are on their way.
    /// </summary>
    public Task RunAsync(Guid messageId, string consumer, Func<Posting, Task> handle) =>
        transactions.CommitAsync(new(messageId, consumer, handle));

    public ValueTask DisposeAsync() => transactions.DisposeAsync();

    private async Task CommitAsync(IReadOnlyList<Work> batch, IReadOnlyList<int> items)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var firsts = await Inbox.TryRecordAsync(connection, transaction, [.. items.Select(i => (batch[i].MessageId, batch[i].Consumer))], CancellationToken.None);
        var posting = new Posting(connection, transaction);
        for (var i = 0; i < items.Count; i++)
        {
            if (firsts[i])
            {
                // Each event's handler runs in its consumer's trace, so the messages it posts are announced in it.
                Activity.Current = batch[items[i]].Consumed;
                await batch[items[i]].Handle(posting);
            }
        }

        var events = new OutboxEvents();
        var appended = new List<AppendedFeed>();
        // Apps in one order, so two transactions could never take each other's feed heads crosswise.
        foreach (var app in posting.Deliveries.GroupBy(posted => posted.AppId, StringComparer.Ordinal).OrderBy(app => app.Key, StringComparer.Ordinal))
        {
            appended.Add(await MessageStore.StoreAsync(
                connection, transaction, app.Key, [.. app.Select(posted => posted.Delivery)], events, CancellationToken.None));
        }

        await transaction.CommitAsync();
        outbox.Send(events);
        appended.ForEach(relay.Publish);
    }

    private sealed record Work(Guid MessageId, string Consumer, Func<Posting, Task> Handle)
    {
        public Activity? Consumed { get; } = Activity.Current;
    }
}

public static class PostingConsumerRegistration
{
    /// <summary>Adds a <see cref="PostingConsumer{TEvent}"/> whose endpoint lets enough events in at once to fill shared transactions.</summary>
    public static void AddPostingConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer>().Endpoint(endpoint => endpoint.PrefetchCount = SharedPosting.InFlight);
}
