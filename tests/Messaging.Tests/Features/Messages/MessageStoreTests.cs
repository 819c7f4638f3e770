extern alias MessagingService;

using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Chat21Message = MessagingService::Chat.Messaging.Features.Messages.Chat21Message;
using Delivery = MessagingService::Chat.Messaging.Features.Messages.Delivery;
using Feed = MessagingService::Chat.Messaging.Features.Realtime.Feed;
using MessageStore = MessagingService::Chat.Messaging.Features.Messages.MessageStore;
using Participant = MessagingService::Chat.Messaging.Features.Messages.Participant;

namespace Chat.Messaging.Tests.Features.Messages;

[Collection(MessagingCollection.Name)]
public sealed class MessageStoreTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    [Fact]
    public async Task A_store_without_a_transaction_is_all_or_nothing()
    {
        var dataSource = fixture.Service.Services.GetRequiredService<NpgsqlDataSource>();
        var message = new Chat21Message(Guid.CreateVersion7(), "alice", "Alice", "bob", "Bob", "once", "text", "direct",
            null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);
        await using var connection = await dataSource.OpenConnectionAsync();

        var stored = await MessageStore.StoreAsync(connection, null, app, message, Participant.OfDirect(message), new OutboxEvents(), CancellationToken.None);
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() =>
            MessageStore.StoreAsync(connection, null, app, message, Participant.OfDirect(message), new OutboxEvents(), CancellationToken.None));

        Assert.Equal([1L, 1L], stored.Seqs);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        // The feed append ran before the failing insert; the implicit transaction took it back with everything else.
        Assert.Equal(1, await Feed.HeadAsync(dataSource, app, "alice", CancellationToken.None));
        Assert.Equal(1, await Feed.HeadAsync(dataSource, app, "bob", CancellationToken.None));
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM timelines WHERE app_id = $1");
        count.Parameters.Add(new() { Value = app });
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_batch_may_give_one_user_and_one_conversation_several_messages_in_order()
    {
        var dataSource = fixture.Service.Services.GetRequiredService<NpgsqlDataSource>();
        Chat21Message[] messages =
        [
            Direct("alice", "bob", "one"), Direct("alice", "bob", "two"), Direct("bob", "alice", "three"),
            Direct("alice", "carol", "four"), Direct("alice", "bob", "five"),
        ];
        await using var connection = await dataSource.OpenConnectionAsync();

        var stored = await MessageStore.StoreAsync(connection, null, app,
            [.. messages.Select(message => new Delivery(message, Participant.OfDirect(message)))], new OutboxEvents(), CancellationToken.None);

        // Entries are the sender's then the recipient's side of each message, in order; each user's numbers follow that order.
        Assert.Equal([1L, 1L, 2L, 2L, 3L, 3L, 4L, 1L, 5L, 4L], stored.Seqs);
        Assert.Equal(5, await Feed.HeadAsync(dataSource, app, "alice", CancellationToken.None));
        Assert.Equal(4, await Feed.HeadAsync(dataSource, app, "bob", CancellationToken.None));
        var feed = await Feed.ReadAfterAsync(dataSource, app, "bob", 0, 10, CancellationToken.None);
        Assert.Equal(["one", "two", "three", "five"], feed.Select(e => System.Text.Json.JsonDocument.Parse(e.Data).RootElement
            .GetProperty("message").GetProperty("text").GetString()));

        await using var command = dataSource.CreateCommand(
            """
            SELECT timeline_of, convers_with, last_message_text, is_new, unread_count FROM conversations
            WHERE app_id = $1 ORDER BY timeline_of, convers_with
            """);
        command.Parameters.Add(new() { Value = app });
        await using var reader = await command.ExecuteReaderAsync();
        var conversations = new List<string>();
        while (await reader.ReadAsync())
        {
            conversations.Add($"{reader.GetString(0)}/{reader.GetString(1)}: {reader.GetString(2)} new={reader.GetBoolean(3)} unread={reader.GetInt32(4)}");
        }

        Assert.Equal(
        [
            "alice/bob: five new=False unread=1",
            "alice/carol: four new=False unread=0",
            "bob/alice: five new=True unread=3",
            "carol/alice: four new=True unread=1",
        ], conversations);
    }

    private static Chat21Message Direct(string sender, string recipient, string text) => new(
        Guid.CreateVersion7(), sender, sender, recipient, recipient, text, "text", "direct", null, null,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);
}
