extern alias MessagingService;

using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Chat21Message = MessagingService::Chat.Messaging.Features.Messages.Chat21Message;
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
}
