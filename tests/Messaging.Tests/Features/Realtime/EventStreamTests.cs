extern alias MessagingService;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using FeedRetention = MessagingService::Chat.Messaging.Features.Realtime.FeedRetention;
using MessageStore = MessagingService::Chat.Messaging.Features.Messages.MessageStore;
using Participant = MessagingService::Chat.Messaging.Features.Messages.Participant;
using Chat21Message = MessagingService::Chat.Messaging.Features.Messages.Chat21Message;

namespace Chat.Messaging.Tests.Features.Realtime;

[Collection(MessagingCollection.Name)]
public sealed class EventStreamTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user, MessagingServiceFactory? replica = null) =>
        (replica ?? fixture.Service).CreateClient(TestIdentity.User(app, user));

    private Task<EventStreamClient> StreamAsync(string user, string? lastEventId = null, MessagingServiceFactory? replica = null) =>
        EventStreamClient.OpenAsync(As(user, replica), $"/api/{app}/events", lastEventId);

    private async Task<Guid> SendAsync(string from, string to, string text, string channelType = "direct")
    {
        var response = await As(from).PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = $"{from} full", recipient_id = to, recipient_fullname = $"{to} full", text, channel_type = channelType });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetProperty("message_id").GetGuid();
    }

    private static JsonElement DataOf(ServerSentEvent serverSentEvent) => JsonSerializer.Deserialize<JsonElement>(serverSentEvent.Data);

    private static void AssertMessage(ServerSentEvent serverSentEvent, string conversWith, Guid messageId, string text)
    {
        Assert.Equal("message", serverSentEvent.Event);
        var data = DataOf(serverSentEvent);
        Assert.Equal(conversWith, data.GetProperty("conversWith").GetString());
        var message = data.GetProperty("message");
        Assert.Equal(messageId, message.GetProperty("message_id").GetGuid());
        Assert.Equal(text, message.GetProperty("text").GetString());
        Assert.Equal(100, message.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Both_participants_hear_a_direct_message_each_with_their_own_feed_number()
    {
        await using var alice = await StreamAsync("alice");
        await using var bob = await StreamAsync("bob");
        Assert.Equal(HttpStatusCode.OK, alice.Response.StatusCode);
        Assert.Equal("text/event-stream", alice.Response.Content.Headers.ContentType?.MediaType);

        var messageId = await SendAsync("alice", "bob", "hello");

        var toAlice = await alice.NextAsync();
        var toBob = await bob.NextAsync();
        AssertMessage(toAlice, "bob", messageId, "hello");
        AssertMessage(toBob, "alice", messageId, "hello");
        Assert.Equal("1", toAlice.Id);
        Assert.Equal("1", toBob.Id);
    }

    [Fact]
    public async Task A_stream_without_Last_Event_ID_starts_at_the_present()
    {
        await SendAsync("alice", "bob", "before");
        await using var bob = await StreamAsync("bob");

        Assert.True(await bob.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        var messageId = await SendAsync("alice", "bob", "after");

        var received = await bob.NextAsync();
        AssertMessage(received, "alice", messageId, "after");
        Assert.Equal("2", received.Id);
    }

    [Fact]
    public async Task A_stream_on_one_replica_hears_what_was_sent_through_the_other()
    {
        await using var second = fixture.SecondReplica();
        await using var bob = await StreamAsync("bob", replica: second);

        var messageId = await SendAsync("alice", "bob", "across replicas");

        AssertMessage(await bob.NextAsync(), "alice", messageId, "across replicas");
    }

    [Fact]
    public async Task Resuming_with_Last_Event_ID_replays_exactly_what_was_missed_then_goes_on_live()
    {
        string lastSeen;
        await using (var bob = await StreamAsync("bob"))
        {
            await SendAsync("alice", "bob", "seen live");
            lastSeen = (await bob.NextAsync()).Id!;
        }

        var missed = new[] { await SendAsync("alice", "bob", "missed 1"), await SendAsync("carol", "bob", "missed 2"), await SendAsync("alice", "bob", "missed 3") };
        await using var resumed = await StreamAsync("bob", lastSeen);

        var replayed = await resumed.TakeAsync(3);
        Assert.Equal(["2", "3", "4"], replayed.Select(e => e.Id));
        Assert.Equal(missed, replayed.Select(e => DataOf(e).GetProperty("message").GetProperty("message_id").GetGuid()));
        Assert.Equal("carol", DataOf(replayed[1]).GetProperty("conversWith").GetString());
        var live = await SendAsync("alice", "bob", "live again");
        var next = await resumed.NextAsync();
        AssertMessage(next, "alice", live, "live again");
        Assert.Equal("5", next.Id);
    }

    [Fact]
    public async Task Last_Event_ID_is_also_accepted_as_a_query_parameter()
    {
        await SendAsync("alice", "bob", "one");
        var two = await SendAsync("alice", "bob", "two");

        await using var bob = await EventStreamClient.OpenAsync(As("bob"), $"/api/{app}/events?lastEventId=1");

        var replayed = await bob.NextAsync();
        Assert.Equal("2", replayed.Id);
        AssertMessage(replayed, "alice", two, "two");
    }

    [Fact]
    public async Task Reading_a_conversation_tells_the_sender_which_messages_were_seen_and_the_readers_devices_that_it_was_read()
    {
        await using var alice = await StreamAsync("alice");
        var sent = new[] { await SendAsync("alice", "bob", "one"), await SendAsync("alice", "bob", "two") };
        await alice.TakeAsync(2);
        await using var bob = await StreamAsync("bob");

        Assert.Equal(HttpStatusCode.OK, (await As("bob").PostAsync($"/api/{app}/conversations/alice/read", null)).StatusCode);

        var seen = await alice.NextAsync();
        Assert.Equal("message_status", seen.Event);
        Assert.Equal("bob", DataOf(seen).GetProperty("conversWith").GetString());
        Assert.Equal(300, DataOf(seen).GetProperty("status").GetInt32());
        Assert.Equal(sent, DataOf(seen).GetProperty("message_ids").EnumerateArray().Select(id => id.GetGuid()));
        var read = await bob.NextAsync();
        Assert.Equal("conversation", read.Event);
        Assert.Equal("alice", DataOf(read).GetProperty("conversWith").GetString());
        Assert.Equal("read", DataOf(read).GetProperty("action").GetString());
    }

    [Fact]
    public async Task Archiving_and_deleting_a_conversation_reach_the_callers_stream_only()
    {
        await SendAsync("alice", "bob", "hi");
        await SendAsync("carol", "alice", "hey");
        await using var alice = await StreamAsync("alice");
        await using var bob = await StreamAsync("bob");

        await As("alice").DeleteAsync($"/api/{app}/conversations/bob");
        await As("alice").DeleteAsync($"/api/{app}/conversations/carol?delete=true");

        var changes = await alice.TakeAsync(2);
        Assert.All(changes, change => Assert.Equal("conversation", change.Event));
        Assert.Equal(["bob", "carol"], changes.Select(c => DataOf(c).GetProperty("conversWith").GetString()));
        Assert.Equal(["archived", "deleted"], changes.Select(c => DataOf(c).GetProperty("action").GetString()));
        Assert.True(await bob.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_refused_change_adds_nothing_to_the_feed()
    {
        await using var alice = await StreamAsync("alice");

        Assert.Equal(HttpStatusCode.NotFound, (await As("alice").DeleteAsync($"/api/{app}/conversations/nobody")).StatusCode);
        var messageId = await SendAsync("alice", "bob", "after the refusal");

        var next = await alice.NextAsync();
        Assert.Equal("1", next.Id);
        AssertMessage(next, "bob", messageId, "after the refusal");
    }

    [Fact]
    public async Task A_group_message_reaches_every_members_stream()
    {
        await fixture.KnowGroupAsync(app, "group-live", "alice", "bob", "carol");
        var streams = new[] { await StreamAsync("alice"), await StreamAsync("bob"), await StreamAsync("carol") };
        try
        {
            var messageId = await SendAsync("bob", "group-live", "hi group", "group");

            foreach (var stream in streams)
            {
                AssertMessage(await stream.NextAsync(), "group-live", messageId, "hi group");
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_idle_stream_sends_heartbeat_comments()
    {
        await using var quick = fixture.SecondReplica(("Messaging:Events:Heartbeat", "00:00:00.200"));
        await using var alice = await StreamAsync("alice", replica: quick);

        await Eventually.ReturnsAsync(() => Task.FromResult(alice.Comments), comments => comments >= 3, because: "heartbeats arrive");
        Assert.True(await alice.StaysQuietAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task An_event_committed_but_never_published_still_arrives_from_the_database()
    {
        await using var quick = fixture.SecondReplica(("Messaging:Events:Heartbeat", "00:00:00.200"));
        await using var bob = await StreamAsync("bob", replica: quick);
        var message = new Chat21Message(Guid.CreateVersion7(), "alice", "Alice", "bob", "Bob", "lost publish", "text", "direct",
            null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);

        // As a replica that dies between its commit and its publish: stored, never announced on Redis.
        var dataSource = fixture.Service.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await MessageStore.StoreAsync(connection, transaction, app, message, Participant.OfDirect(message), new OutboxEvents(), CancellationToken.None);
            await transaction.CommitAsync();
        }

        AssertMessage(await bob.NextAsync(TimeSpan.FromSeconds(5)), "alice", message.MessageId, "lost publish");
    }

    [Fact]
    public async Task Without_Redis_sends_within_the_limit_go_through_and_streams_read_their_feed_from_the_database()
    {
        await using var cacheless = fixture.SecondReplica(
            ("ConnectionStrings:cache", "127.0.0.1:1,connectTimeout=200"), ("Messaging:Events:PollWithoutRedis", "00:00:00.200"));
        await using var bob = await StreamAsync("bob", replica: cacheless);
        var alice = As("alice", cacheless);

        // The default sender limit, which the replica keeps on its own while Redis is unreachable.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await alice.PostAsJsonAsync($"/api/{app}/messages",
                new { sender_fullname = "alice", recipient_id = "bob", recipient_fullname = "bob", text = $"no cache {i}" })).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        var received = await bob.TakeAsync(30, TimeSpan.FromSeconds(5));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"{i}"), received.Select(e => e.Id));
        Assert.Equal("no cache 29", DataOf(received[^1]).GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Events_past_retention_are_announced_with_a_reset_then_the_stream_goes_on()
    {
        await SendAsync("alice", "bob", "old 1");
        await SendAsync("alice", "bob", "old 2");
        var dataSource = fixture.Service.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var age = dataSource.CreateCommand("UPDATE feed_events SET created_at = now() - interval '30 days' WHERE app_id = $1"))
        {
            age.Parameters.Add(new() { Value = app });
            await age.ExecuteNonQueryAsync();
        }

        var retention = fixture.Service.Services.GetServices<IHostedService>().OfType<FeedRetention>().Single();
        Assert.True(await retention.PruneAsync(CancellationToken.None) >= 4);
        var fresh = await SendAsync("alice", "bob", "fresh");

        await using var bob = await StreamAsync("bob", lastEventId: "0");

        var reset = await bob.NextAsync();
        Assert.Equal("reset", reset.Event);
        Assert.Equal("2", reset.Id);
        var next = await bob.NextAsync();
        Assert.Equal("3", next.Id);
        AssertMessage(next, "alice", fresh, "fresh");
    }

    [Fact]
    public async Task A_Last_Event_ID_ahead_of_the_feed_is_reset_to_its_head()
    {
        await SendAsync("alice", "bob", "only one");

        await using var bob = await StreamAsync("bob", lastEventId: "99");

        var reset = await bob.NextAsync();
        Assert.Equal("reset", reset.Event);
        Assert.Equal("1", reset.Id);
    }

    [Fact]
    public async Task A_malformed_Last_Event_ID_is_a_400_in_the_chat21_dialect()
    {
        await using var bob = await StreamAsync("bob", lastEventId: "yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, bob.Response.StatusCode);
        var error = await bob.Response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("Last-Event-ID must be the id of an event of this stream", error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task A_caller_of_another_app_gets_404()
    {
        var stranger = fixture.ClientFor(TestIdentity.User(TestIdentity.NewAppId(), "bob"));

        await using var stream = await EventStreamClient.OpenAsync(stranger, $"/api/{app}/events");

        Assert.Equal(HttpStatusCode.NotFound, stream.Response.StatusCode);
    }
}
