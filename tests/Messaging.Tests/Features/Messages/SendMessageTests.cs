using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Features.Messages;

[Collection(MessagingCollection.Name)]
public sealed class SendMessageTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> TimelineAsync(string user, string with) =>
        (await JsonOf(await As(user).GetAsync($"/api/{app}/{user}/conversations/{with}/messages"))).GetProperty("result");

    [Fact]
    public async Task The_seed_example_sends_a_direct_text_message_answered_in_the_chat21_shape()
    {
        var response = await As("alice").PostAsync($"/api/{app}/messages", new StringContent(
            """{ "sender_fullname": "Alice A", "recipient_id": "bob", "recipient_fullname": "Bob B", "text": "hello", "type": "text", "channel_type": "direct" }""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonOf(response);
        Assert.True(body.GetProperty("success").GetBoolean());
        var message = body.GetProperty("message");
        Assert.True(Guid.TryParse(message.GetProperty("message_id").GetString(), out _));
        Assert.Equal("alice", message.GetProperty("sender").GetString());
        Assert.Equal("Alice A", message.GetProperty("sender_fullname").GetString());
        Assert.Equal("bob", message.GetProperty("recipient").GetString());
        Assert.Equal("Bob B", message.GetProperty("recipient_fullname").GetString());
        Assert.Equal("hello", message.GetProperty("text").GetString());
        Assert.Equal("text", message.GetProperty("type").GetString());
        Assert.Equal("direct", message.GetProperty("channel_type").GetString());
        Assert.Equal(100, message.GetProperty("status").GetInt32());
        Assert.True(message.GetProperty("timestamp").GetInt64() > 1_600_000_000_000);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("attributes").ValueKind);

        var messageId = message.GetProperty("message_id").GetString();
        Assert.Equal(messageId, Assert.Single((await TimelineAsync("alice", "bob")).EnumerateArray()).GetProperty("message_id").GetString());
        Assert.Equal(messageId, Assert.Single((await TimelineAsync("bob", "alice")).EnumerateArray()).GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task Type_and_channel_default_to_text_and_direct_and_attributes_are_kept()
    {
        var response = await As("alice").PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = "Alice", recipient_id = "bob", recipient_fullname = "Bob", text = "hi", attributes = new { custom_attribute1 = "value1" } });

        var message = (await JsonOf(response)).GetProperty("message");
        Assert.Equal("text", message.GetProperty("type").GetString());
        Assert.Equal("direct", message.GetProperty("channel_type").GetString());
        Assert.Equal("value1", message.GetProperty("attributes").GetProperty("custom_attribute1").GetString());
        var stored = Assert.Single((await TimelineAsync("bob", "alice")).EnumerateArray());
        Assert.Equal("value1", stored.GetProperty("attributes").GetProperty("custom_attribute1").GetString());
    }

    [Fact]
    public async Task An_image_message_carries_its_metadata_and_needs_no_text()
    {
        var response = await As("alice").PostAsJsonAsync($"/api/{app}/messages", new
        {
            sender_fullname = "Alice", recipient_id = "bob", recipient_fullname = "Bob", type = "image",
            metadata = new { src = "https://example.com/a.png", width = 200, height = 100 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await JsonOf(response)).GetProperty("message");
        Assert.Equal("image", message.GetProperty("type").GetString());
        var stored = Assert.Single((await TimelineAsync("bob", "alice")).EnumerateArray()).GetProperty("metadata");
        Assert.Equal("https://example.com/a.png", stored.GetProperty("src").GetString());
        Assert.Equal(200, stored.GetProperty("width").GetInt32());
        Assert.Equal(100, stored.GetProperty("height").GetInt32());
    }

    [Theory]
    [InlineData("""{"recipient_id":"bob","recipient_fullname":"Bob","text":"x"}""", "sender_fullname is mandatory")]
    [InlineData("""{"sender_fullname":"A","recipient_fullname":"Bob","text":"x"}""", "recipient_id is mandatory")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"a/b","recipient_fullname":"Bob","text":"x"}""", "recipient_id is mandatory")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","text":"x"}""", "recipient_fullname is mandatory")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob"}""", "text is mandatory for text messages")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","type":"video"}""", "type must be text or image")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","channel_type":"room"}""", "channel_type must be direct or group")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":[1]}""", "attributes must be a JSON object")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":"m"}""", "metadata must be a JSON object")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","type":"image"}""", "metadata with src, width and height is mandatory for image messages")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","type":"image","metadata":{"src":"s","width":1}}""", "metadata with src, width and height is mandatory for image messages")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"alice","recipient_fullname":"Me","text":"x"}""", "recipient_id must be another user than the sender")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":5}""", "Invalid JSON body at $.text: Cannot get the value of a token type 'Number' as a string.")]
    [InlineData("""{"sender_fullname":""", "Invalid JSON body")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"a\u0000b"}""", "text must not contain the NUL character (U+0000)")]
    [InlineData("""{"sender_fullname":"A\u0000","recipient_id":"bob","recipient_fullname":"Bob","text":"x"}""", "sender_fullname must not contain the NUL character (U+0000)")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"\u0000","text":"x"}""", "recipient_fullname must not contain the NUL character (U+0000)")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":["\u0000"]}}""", "attributes must not contain the NUL character (U+0000)")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":{"\u0000":1}}""", "metadata must not contain the NUL character (U+0000)")]
    public async Task Bad_input_is_a_400_in_the_chat21_dialect(string json, string message)
    {
        var response = await As("alice").PostAsync($"/api/{app}/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonOf(response);
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(message, error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task An_admin_may_send_as_another_user_at_a_given_time()
    {
        var admin = fixture.ClientFor(TestIdentity.Admin(app));
        var response = await admin.PostAsJsonAsync($"/api/{app}/messages",
            new { sender_id = "carol", sender_fullname = "Carol", recipient_id = "dave", recipient_fullname = "Dave", text = "imported", timestamp = 1_700_000_000_000 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await JsonOf(response)).GetProperty("message");
        Assert.Equal("carol", message.GetProperty("sender").GetString());
        Assert.Equal(1_700_000_000_000, message.GetProperty("timestamp").GetInt64());
        var stored = Assert.Single((await TimelineAsync("dave", "carol")).EnumerateArray());
        Assert.Equal(1_700_000_000_000, stored.GetProperty("timestamp").GetInt64());
    }

    [Theory]
    [InlineData("""{"sender_id":"carol","sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x"}""")]
    [InlineData("""{"timestamp":1700000000000,"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x"}""")]
    public async Task A_user_may_not_set_sender_id_or_timestamp(string json)
    {
        var response = await As("alice").PostAsync($"/api/{app}/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Only admins can set sender_id or timestamp", (await JsonOf(response)).GetProperty("err").GetString());
        Assert.Equal(0, (await TimelineAsync("bob", "alice")).GetArrayLength());
    }

    [Fact]
    public async Task A_caller_of_another_app_gets_404()
    {
        var other = fixture.ClientFor(TestIdentity.User(TestIdentity.NewAppId(), "alice"));

        var response = await other.PostAsJsonAsync($"/api/{app}/messages", new { sender_fullname = "A", recipient_id = "bob", recipient_fullname = "B", text = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await JsonOf(response)).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_group_message_by_a_member_reaches_every_members_timeline_and_conversation()
    {
        await fixture.KnowGroupAsync(app, "group-team", "alice", "bob", "carol");

        // Each member has one unread message already: the group's GROUP_CREATED greeting.
        var response = await As("bob").PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = "Bob", recipient_id = "group-team", recipient_fullname = "Team", text = "hi all", channel_type = "group" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messageId = (await JsonOf(response)).GetProperty("message").GetProperty("message_id").GetString();
        foreach (var member in new[] { "alice", "bob", "carol" })
        {
            var stored = Assert.Single((await TimelineAsync(member, "group-team")).EnumerateArray(), m => m.GetProperty("sender").GetString() != "system");
            Assert.Equal(messageId, stored.GetProperty("message_id").GetString());
            var conversation = (await JsonOf(await As(member).GetAsync($"/api/{app}/{member}/conversations/group-team"))).GetProperty("result");
            Assert.Equal("Team", conversation.GetProperty("conversWith_fullname").GetString());
            Assert.Equal("group", conversation.GetProperty("channel_type").GetString());
            Assert.Equal(member != "bob", conversation.GetProperty("is_new").GetBoolean());
            Assert.Equal(member == "bob" ? 1 : 2, conversation.GetProperty("unread_count").GetInt32());
        }
    }

    [Fact]
    public async Task A_send_right_after_the_group_was_created_waits_for_the_directory_instead_of_refusing()
    {
        await fixture.PublishAsync(new GroupCreated
        {
            AppId = app, GroupId = "group-fresh", Name = "Fresh", Owner = "alice", Members = ["alice", "bob"], Version = 1,
        });

        var response = await As("alice").PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = "Alice", recipient_id = "group-fresh", recipient_fullname = "Fresh", text = "first!", channel_type = "group" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await TimelineAsync("bob", "group-fresh")).EnumerateArray(), m => m.GetProperty("text").GetString() == "first!");
    }

    [Fact]
    public async Task A_non_member_or_an_unknown_group_is_refused_with_403()
    {
        await fixture.KnowGroupAsync(app, "group-closed", "alice", "bob");

        foreach (var group in new[] { "group-closed", "group-unknown" })
        {
            var response = await As("mallory").PostAsJsonAsync($"/api/{app}/messages",
                new { sender_fullname = "M", recipient_id = group, recipient_fullname = "G", text = "let me in", channel_type = "group" });

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = await JsonOf(response);
            Assert.False(error.GetProperty("success").GetBoolean());
            Assert.Equal("Only members of the group can send messages to it", error.GetProperty("err").GetString());
        }

        Assert.All((await TimelineAsync("alice", "group-closed")).EnumerateArray(), m => Assert.Equal("system", m.GetProperty("sender").GetString()));
    }

    [Fact]
    public async Task MessageSent_is_published_once_per_message()
    {
        var response = await As("alice").PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = "Alice", recipient_id = "bob", recipient_fullname = "Bob", text = "event me", attributes = new { k = "v" } });
        var messageId = Guid.Parse((await JsonOf(response)).GetProperty("message").GetProperty("message_id").GetString()!);

        var sent = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Of<MessageSent>(e => e.MessageId == messageId)),
            events => events.Count > 0,
            because: "MessageSent is published");
        await Task.Delay(500);

        var single = Assert.Single(fixture.Events.Of<MessageSent>(e => e.MessageId == messageId));
        Assert.Same(sent[0], single);
        Assert.Equal(app, single.AppId);
        Assert.Equal("alice", single.Sender);
        Assert.Equal("bob", single.RecipientId);
        Assert.Equal("direct", single.ChannelType);
        Assert.Equal("event me", single.Text);
        Assert.Equal(100, single.Status);
        Assert.Equal("v", single.Attributes!.Value.GetProperty("k").GetString());
    }
}
