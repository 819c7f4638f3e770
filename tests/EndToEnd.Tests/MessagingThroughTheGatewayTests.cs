using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.TestInfrastructure;

namespace Chat.EndToEnd.Tests;

/// <summary>Seed 000's message and conversation commands, group fan-out and realtime delivery, all through the gateway.</summary>
[Collection(SuiteCollection.Name)]
public sealed class MessagingThroughTheGatewayTests(SuiteFixture suite)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private async Task<List<JsonElement>> TimelineAsync(string user, string with, int limit = 200)
    {
        var response = await suite.Chat21Client(user).GetAsync($"/api/default/{user}/conversations/{with}/messages?limit={limit}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await JsonOf(response)).GetProperty("result").EnumerateArray()];
    }

    private static string Send(string recipient, string text, string channelType = "direct") =>
        $$"""{ "sender_fullname": "Sender", "recipient_id": "{{recipient}}", "recipient_fullname": "Recipient", "text": "{{text}}", "type": "text", "channel_type": "{{channelType}}" }""";

    [Fact]
    public async Task The_seed_message_and_DELETE_conversation_examples_work_as_printed()
    {
        var (alice, bob) = (NewUser("alice"), NewUser("bob"));
        var client = suite.Chat21Client(alice);

        var sent = await client.PostAsync("/api/default/messages", Json(
            $$"""{ "sender_fullname": "发送者全名", "recipient_id": "{{bob}}", "recipient_fullname": "接收者全名", "text": "hello", "type": "text", "channel_type": "direct" }"""));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var message = (await JsonOf(sent)).GetProperty("message");
        Assert.Equal(alice, message.GetProperty("sender").GetString());
        Assert.Equal("发送者全名", message.GetProperty("sender_fullname").GetString());
        Assert.Equal(100, message.GetProperty("status").GetInt32());
        Assert.Equal(message.GetProperty("message_id").GetGuid(), Assert.Single(await TimelineAsync(bob, alice)).GetProperty("message_id").GetGuid());

        using var archive = new HttpRequestMessage(HttpMethod.Delete, $"/api/default/conversations/{bob}?delete=false") { Content = Json("") };
        var archived = await client.SendAsync(archive);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.True((await JsonOf(archived)).GetProperty("success").GetBoolean());
        var inArchive = (await JsonOf(await client.GetAsync($"/api/default/{alice}/conversations/archived"))).GetProperty("result");
        Assert.Equal(bob, Assert.Single(inArchive.EnumerateArray()).GetProperty("conversWith").GetString());

        var deleted = await client.DeleteAsync($"/api/default/conversations/{bob}?delete=true");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(await TimelineAsync(alice, bob));
        Assert.Single(await TimelineAsync(bob, alice));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/default/conversations/{bob}?delete=true")).StatusCode);
    }

    [Fact]
    public async Task A_group_made_through_Groups_fans_out_its_messages_and_greets_a_joining_member_with_history()
    {
        var (owner, member, joiner) = (NewUser("owner"), NewUser("member"), NewUser("joiner"));
        var ownerClient = suite.Chat21Client(owner);
        var created = await ownerClient.PostAsync("/api/default/groups", Json($$$"""{"group_name": "E2E group", "group_members": {"{{{member}}}": 1}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var groupId = (await JsonOf(created)).GetProperty("group").GetProperty("uid").GetString()!;

        // As a Chat21 client does: send at once. Messaging learns the group from Groups' events; the send waits for that.
        var sent = await ownerClient.PostAsync("/api/default/messages", Json(Send(groupId, "welcome all", "group")));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var messageId = (await JsonOf(sent)).GetProperty("message").GetProperty("message_id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PostAsync($"/api/default/groups/{groupId}/members", Json($$"""{"member_id": "{{joiner}}"}"""))).StatusCode);

        var joinersTimeline = await Eventually.ReturnsAsync(() => TimelineAsync(joiner, groupId), t => t.Count >= 3, because: "the joiner gets history");
        Assert.Equal(
            ["MEMBER_JOINED_GROUP", null, "GROUP_CREATED"],
            joinersTimeline.Select(m => m.GetProperty("attributes") is { ValueKind: JsonValueKind.Object } a ? a.GetProperty("messagelabel").GetProperty("key").GetString() : null));
        Assert.Equal(messageId, joinersTimeline[1].GetProperty("message_id").GetGuid());
        Assert.Contains(await TimelineAsync(member, groupId), m => m.GetProperty("message_id").GetGuid() == messageId);
        var stranger = suite.Chat21Client(NewUser("stranger"));
        var refused = await stranger.PostAsync("/api/default/messages", Json(Send(groupId, "let me in", "group")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False((await JsonOf(refused)).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Events_stream_through_the_gateway_and_resume_from_Last_Event_ID()
    {
        var (alice, bob) = (NewUser("alice"), NewUser("bob"));
        var aliceClient = suite.Chat21Client(alice);
        string lastSeen;
        await using (var stream = await EventStreamClient.OpenAsync(suite.Chat21Client(bob), "/api/default/events"))
        {
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            await aliceClient.PostAsync("/api/default/messages", Json(Send(bob, "live")));
            var live = await stream.NextAsync();
            Assert.Equal("message", live.Event);
            Assert.Equal("live", JsonSerializer.Deserialize<JsonElement>(live.Data).GetProperty("message").GetProperty("text").GetString());
            lastSeen = live.Id!;
        }

        await aliceClient.PostAsync("/api/default/messages", Json(Send(bob, "while away")));
        await using var resumed = await EventStreamClient.OpenAsync(suite.Chat21Client(bob), "/api/default/events", lastSeen);

        var missed = await resumed.NextAsync();
        Assert.Equal($"{long.Parse(lastSeen) + 1}", missed.Id);
        Assert.Equal("while away", JsonSerializer.Deserialize<JsonElement>(missed.Data).GetProperty("message").GetProperty("text").GetString());
    }

    /// <summary>Collects the ids of the messages <paramref name="user"/> hears, reconnecting with the last event id whenever the stream breaks.</summary>
    private async Task ListenAcrossReconnectsAsync(string user, ConcurrentQueue<Guid> heard, CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var stream = await EventStreamClient.OpenAsync(suite.Chat21Client(user), "/api/default/events", lastEventId ?? "0");
                while (!cancellationToken.IsCancellationRequested)
                {
                    var next = await stream.NextAsync(TimeSpan.FromMilliseconds(500));
                    heard.Enqueue(JsonSerializer.Deserialize<JsonElement>(next.Data).GetProperty("message").GetProperty("message_id").GetGuid());
                    lastEventId = next.Id;
                }
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                // Quiet, or the replica behind the stream died: reconnect from the last event heard.
            }
        }
    }

    [Fact]
    public async Task Killing_a_Messaging_replica_mid_traffic_loses_no_acknowledged_message_and_duplicates_none()
    {
        var pairs = Enumerable.Range(0, 4).Select(i => (From: NewUser($"k{i}-from"), To: NewUser($"k{i}-to"))).ToArray();
        var acknowledged = new ConcurrentBag<(string From, string To, Guid MessageId)>();
        using var stop = new CancellationTokenSource();
        var listened = new ConcurrentQueue<Guid>();
        var listener = ListenAcrossReconnectsAsync(pairs[0].To, listened, stop.Token);
        var senders = pairs.Select(pair => Task.Run(async () =>
        {
            var client = suite.Chat21Client(pair.From);
            for (var n = 0; !stop.IsCancellationRequested && n < 25; n++)
            {
                try
                {
                    var response = await client.PostAsync("/api/default/messages", Json(Send(pair.To, $"message {n}")));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add((pair.From, pair.To, (await JsonOf(response)).GetProperty("message").GetProperty("message_id").GetGuid()));
                    }
                }
                catch (HttpRequestException)
                {
                    // Not acknowledged: the client would retry; the test only holds the platform to what it acknowledged.
                }

                await Task.Delay(40);
            }
        })).ToArray();

        await Eventually.ReturnsAsync(() => Task.FromResult(acknowledged.Count), count => count >= 20, because: "traffic flows");
        var victim = (await suite.ReplicasAsync("messaging", CancellationToken.None))[0];
        // The replica's process is `dotnet run`, which runs the service as its child: the service itself crashes.
        var service = ProcessTable.WithDescendants(victim.ProcessId)
            .Single(pid => ProcessTable.CommandLine(pid).Contains("/Messaging.Service/bin/", StringComparison.Ordinal));
        Process.GetProcessById(service).Kill();
        await Task.WhenAll(senders);
        using var comeBack = new CancellationTokenSource(SuiteFixture.StartTimeout);
        await SuiteFixture.WaitUntilFullyHealthyAsync(victim.Http, comeBack.Token);

        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} sends were acknowledged");
        var toListener = acknowledged.Where(a => a.To == pairs[0].To).Select(a => a.MessageId).ToHashSet();
        await Eventually.ReturnsAsync(() => Task.FromResult(listened.ToHashSet()), received => received.IsSupersetOf(toListener),
            because: "the listener, reconnecting with Last-Event-ID, hears every acknowledged message");
        await stop.CancelAsync();
        await listener;
        Assert.Equal(listened.Count, listened.Distinct().Count());
        foreach (var pair in pairs)
        {
            var sentIds = acknowledged.Where(a => a.From == pair.From).Select(a => a.MessageId).ToHashSet();
            foreach (var (owner, with) in new[] { (pair.From, pair.To), (pair.To, pair.From) })
            {
                var timeline = (await TimelineAsync(owner, with)).Select(m => m.GetProperty("message_id").GetGuid()).ToList();
                Assert.Equal(timeline.Count, timeline.Distinct().Count());
                Assert.Subset(timeline.ToHashSet(), sentIds);
            }
        }
    }
}
