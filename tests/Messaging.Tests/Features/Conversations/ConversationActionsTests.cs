using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Features.Conversations;

[Collection(MessagingCollection.Name)]
public sealed class ConversationActionsTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> ResultAsync(string user, string path)
    {
        var response = await As(user).GetAsync($"/api/{app}/{user}/{path}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("result");
    }

    private async Task<Guid> SendAsync(string from, string to, string text)
    {
        var response = await As(from).PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = $"{from} full", recipient_id = to, recipient_fullname = $"{to} full", text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("message").GetProperty("message_id").GetGuid();
    }

    private static async Task AssertSuccessAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("success").GetBoolean());
    }

    private static string[] With(JsonElement conversations) =>
        conversations.EnumerateArray().Select(c => c.GetProperty("conversWith").GetString()!).ToArray();

    [Fact]
    public async Task Deleting_without_delete_archives_the_callers_conversation_only()
    {
        await SendAsync("alice", "bob", "hi");

        await AssertSuccessAsync(await As("alice").DeleteAsync($"/api/{app}/conversations/bob"));

        Assert.Empty(With(await ResultAsync("alice", "conversations")));
        Assert.Equal(["bob"], With(await ResultAsync("alice", "conversations/archived")));
        Assert.True((await ResultAsync("alice", "conversations/bob")).GetProperty("archived").GetBoolean());
        Assert.Single((await ResultAsync("alice", "conversations/bob/messages")).EnumerateArray());
        Assert.Equal(["alice"], With(await ResultAsync("bob", "conversations")));
    }

    [Fact]
    public async Task Delete_false_archives_and_a_new_message_either_way_unarchives()
    {
        await SendAsync("alice", "bob", "hi");
        await AssertSuccessAsync(await As("alice").DeleteAsync($"/api/{app}/conversations/bob?delete=false"));
        await AssertSuccessAsync(await As("bob").DeleteAsync($"/api/{app}/conversations/alice"));

        await SendAsync("bob", "alice", "still there?");

        Assert.Equal(["bob"], With(await ResultAsync("alice", "conversations")));
        Assert.Equal(["alice"], With(await ResultAsync("bob", "conversations")));
        Assert.Empty(With(await ResultAsync("alice", "conversations/archived")));
        Assert.Empty(With(await ResultAsync("bob", "conversations/archived")));
    }

    [Fact]
    public async Task Delete_true_removes_the_conversation_and_its_messages_for_the_caller_only()
    {
        await SendAsync("alice", "bob", "one");
        await SendAsync("bob", "alice", "two");

        await AssertSuccessAsync(await As("alice").DeleteAsync($"/api/{app}/conversations/bob?delete=true"));

        Assert.Empty(With(await ResultAsync("alice", "conversations")));
        Assert.Empty(With(await ResultAsync("alice", "conversations/archived")));
        Assert.Equal(0, (await ResultAsync("alice", "conversations/bob/messages")).GetArrayLength());
        var missing = await As("alice").GetAsync($"/api/{app}/alice/conversations/bob");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        Assert.Equal(["alice"], With(await ResultAsync("bob", "conversations")));
        Assert.Equal(2, (await ResultAsync("bob", "conversations/alice/messages")).GetArrayLength());

        await SendAsync("bob", "alice", "three");
        var restarted = await ResultAsync("alice", "conversations/bob/messages");
        Assert.Equal("three", Assert.Single(restarted.EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(1, (await ResultAsync("alice", "conversations/bob")).GetProperty("unread_count").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?delete=true")]
    public async Task Deleting_an_unknown_conversation_is_404(string query)
    {
        await SendAsync("bob", "carol", "not alice's");

        var response = await As("alice").DeleteAsync($"/api/{app}/conversations/bob{query}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await JsonOf(response);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("Conversation not found", body.GetProperty("err").GetString());
    }

    [Fact]
    public async Task An_invalid_delete_value_is_400()
    {
        await SendAsync("alice", "bob", "hi");

        var response = await As("alice").DeleteAsync($"/api/{app}/conversations/bob?delete=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("delete must be true or false", (await JsonOf(response)).GetProperty("err").GetString());
        Assert.False((await ResultAsync("alice", "conversations/bob")).GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task Reading_resets_unread_and_the_senders_copies_become_seen_with_one_event()
    {
        var first = await SendAsync("alice", "bob", "one");
        var second = await SendAsync("alice", "bob", "two");
        var reply = await SendAsync("bob", "alice", "three");
        var fourth = await SendAsync("alice", "bob", "four");
        Assert.Equal(3, (await ResultAsync("bob", "conversations/alice")).GetProperty("unread_count").GetInt32());

        await AssertSuccessAsync(await As("bob").PostAsync($"/api/{app}/conversations/alice/read", null));

        var bobs = await ResultAsync("bob", "conversations/alice");
        Assert.Equal(0, bobs.GetProperty("unread_count").GetInt32());
        Assert.False(bobs.GetProperty("is_new").GetBoolean());
        Assert.Equal(300, bobs.GetProperty("status").GetInt32());
        Assert.Equal(300, (await ResultAsync("alice", "conversations/bob")).GetProperty("status").GetInt32());
        var statuses = (await ResultAsync("alice", "conversations/bob/messages")).EnumerateArray()
            .ToDictionary(m => m.GetProperty("message_id").GetGuid(), m => m.GetProperty("status").GetInt32());
        Assert.Equal(300, statuses[first]);
        Assert.Equal(300, statuses[second]);
        Assert.Equal(300, statuses[fourth]);
        Assert.Equal(100, statuses[reply]);
        Assert.Equal(1, (await ResultAsync("alice", "conversations/bob")).GetProperty("unread_count").GetInt32());

        var seen = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Of<MessagesSeen>(e => e.AppId == app)),
            events => events.Count > 0,
            because: "the read is published");
        var published = Assert.Single(seen);
        Assert.Equal("bob", published.Reader);
        Assert.Equal("alice", published.ConversWith);
        Assert.Equal([first, second, fourth], published.MessageIds);

        await AssertSuccessAsync(await As("bob").PostAsync($"/api/{app}/conversations/alice/read", null));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Single(fixture.Events.Of<MessagesSeen>(e => e.AppId == app));
    }

    [Fact]
    public async Task Reading_an_unknown_conversation_is_404()
    {
        await SendAsync("bob", "carol", "not alice's");

        var response = await As("alice").PostAsync($"/api/{app}/conversations/bob/read", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Conversation not found", (await JsonOf(response)).GetProperty("err").GetString());
    }
}
