extern alias MessagingService;

using System.Net;
using System.Net.Http.Json;
using Chat.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Chat21Message = MessagingService::Chat.Messaging.Features.Messages.Chat21Message;
using DirectMessageWriter = MessagingService::Chat.Messaging.Features.Messages.DirectMessageWriter;

namespace Chat.Messaging.Tests.Features.Messages;

[Collection(MessagingCollection.Name)]
public sealed class DirectMessageWriterTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    [Fact]
    public async Task Concurrent_sends_that_share_users_all_land_with_gapless_feeds_and_exact_counts()
    {
        var admin = fixture.ClientFor(TestIdentity.Admin(app));
        string[] senders = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"];
        string[] recipients = ["r0", "r1", "r2"];
        var sends = Enumerable.Range(0, 240).Select(i => (From: senders[i % senders.Length], To: recipients[i % recipients.Length])).ToArray();

        var responses = await Task.WhenAll(sends.Select(send => admin.PostAsJsonAsync($"/api/{app}/messages", new
        {
            sender_id = send.From, sender_fullname = send.From, recipient_id = send.To, recipient_fullname = send.To, text = "concurrent",
        })));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var user in senders.Concat(recipients))
        {
            var expected = sends.Count(send => send.From == user || send.To == user);
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT seq FROM feed_heads WHERE app_id = $1 AND user_id = $2", user));
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT count(DISTINCT seq) FROM feed_events WHERE app_id = $1 AND user_id = $2", user));
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT max(seq) FROM feed_events WHERE app_id = $1 AND user_id = $2", user));
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", user));
        }

        foreach (var recipient in recipients)
        {
            Assert.Equal(
                sends.Count(send => send.To == recipient),
                await fixture.ScalarAsync(app, "SELECT sum(unread_count) FROM conversations WHERE app_id = $1 AND timeline_of = $2", recipient));
        }
    }

    [Fact]
    public async Task A_message_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        var writer = fixture.Service.Services.GetRequiredService<DirectMessageWriter>();
        var good = Enumerable.Range(0, 40).Select(i => Message($"good-{i}", $"peer-{i}", "Good")).ToArray();
        // Validation keeps a NUL character out of every route; straight to the writer, PostgreSQL refuses it.
        var refused = Message("bad", "peer-bad", "Bad\0Name");

        var stores = good.Select(message => writer.StoreAsync(app, message)).Append(writer.StoreAsync(app, refused)).ToArray();
        var outcome = await Assert.ThrowsAsync<PostgresException>(() => stores[^1]);
        await Task.WhenAll(stores[..^1]);

        Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, outcome.SqlState);
        Assert.Equal(2L * good.Length, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of <> $2", "nobody"));
        Assert.Equal(0L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "bad"));
        Assert.Equal(0L, await fixture.ScalarAsync(app, "SELECT count(*) FROM feed_heads WHERE app_id = $1 AND user_id = $2 AND seq > 0", "bad"));
    }

    private static Chat21Message Message(string sender, string recipient, string senderFullname) => new(
        Guid.CreateVersion7(), sender, senderFullname, recipient, recipient, "hello", "text", "direct", null, null,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);
}
