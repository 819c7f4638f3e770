using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// An idempotent consumer that posts messages (group system messages, bot replies) through <see cref="MessageStore"/>,
/// and once its transaction commits sends their events and publishes their feeds, as a send does.
/// </summary>
public abstract class PostingConsumer<TEvent>(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay) : IdempotentConsumer<TEvent>(dataSource)
    where TEvent : class
{
    private readonly List<AppendedFeed> posted = [];
    private readonly OutboxEvents events = new();

    protected async Task PostAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, Chat21Message message, IReadOnlyList<Participant> participants,
        CancellationToken cancellationToken) =>
        posted.Add(await MessageStore.StoreAsync(connection, transaction, appId, message, participants, events, cancellationToken));

    /// <summary>Posts a group message to <paramref name="members"/>, the group being the conversation.</summary>
    protected Task PostToGroupAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, Chat21Message message, IEnumerable<string> members,
        CancellationToken cancellationToken) =>
        PostAsync(connection, transaction, appId, message, Participant.OfGroup(members, message.Recipient, message.RecipientFullname), cancellationToken);

    protected override Task AfterCommitAsync(ConsumeContext<TEvent> context)
    {
        if (posted.Count > 0)
        {
            outbox.Send(events);
            posted.ForEach(relay.Publish);
        }

        return Task.CompletedTask;
    }
}
