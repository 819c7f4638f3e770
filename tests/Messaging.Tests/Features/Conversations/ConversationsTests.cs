using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Features.Conversations;

[Collection(MessagingCollection.Name)]
public sealed class ConversationsTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> ResultAsync(string user, string path)
    {
        var response = await As(user).GetAsync($"/api/{app}/{user}/{path}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonOf(response);
        Assert.True(body.GetProperty("success").GetBoolean());
        return body.GetProperty("result");
    }

    /// <summary>Sends as an admin so the test controls every timestamp.</summary>
    private async Task SendAsync(string from, string to, string text, long timestamp)
    {
        var response = await fixture.ClientFor(TestIdentity.Admin(app)).PostAsJsonAsync($"/api/{app}/messages",
            new { sender_id = from, sender_fullname = $"{from} full", recipient_id = to, recipient_fullname = $"{to} full", text, timestamp });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string[] Texts(JsonElement messages) => messages.EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToArray();

    [Fact]
    public async Task Both_participants_see_the_conversation_with_the_last_message_and_the_recipient_counts_unread()
    {
        await SendAsync("alice", "bob", "one", 1_000);
        await SendAsync("alice", "bob", "two", 2_000);

        var bobs = Assert.Single((await ResultAsync("bob", "conversations")).EnumerateArray());
        Assert.Equal("alice", bobs.GetProperty("conversWith").GetString());
        Assert.Equal("alice full", bobs.GetProperty("conversWith_fullname").GetString());
        Assert.Equal("alice", bobs.GetProperty("sender").GetString());
        Assert.Equal("alice full", bobs.GetProperty("sender_fullname").GetString());
        Assert.Equal("bob", bobs.GetProperty("recipient").GetString());
        Assert.Equal("bob full", bobs.GetProperty("recipient_fullname").GetString());
        Assert.Equal("two", bobs.GetProperty("last_message_text").GetString());
        Assert.Equal(2_000, bobs.GetProperty("timestamp").GetInt64());
        Assert.True(bobs.GetProperty("is_new").GetBoolean());
        Assert.Equal(2, bobs.GetProperty("unread_count").GetInt32());
        Assert.False(bobs.GetProperty("archived").GetBoolean());
        Assert.Equal("direct", bobs.GetProperty("channel_type").GetString());
        Assert.Equal("text", bobs.GetProperty("type").GetString());

        var alices = await ResultAsync("alice", "conversations/bob");
        Assert.Equal("bob", alices.GetProperty("conversWith").GetString());
        Assert.Equal("bob full", alices.GetProperty("conversWith_fullname").GetString());
        Assert.False(alices.GetProperty("is_new").GetBoolean());
        Assert.Equal(0, alices.GetProperty("unread_count").GetInt32());

        await SendAsync("bob", "alice", "three", 3_000);
        var bobsAfterReplying = await ResultAsync("bob", "conversations/alice");
        Assert.False(bobsAfterReplying.GetProperty("is_new").GetBoolean());
        Assert.Equal(2, bobsAfterReplying.GetProperty("unread_count").GetInt32());
        Assert.Equal(1, (await ResultAsync("alice", "conversations/bob")).GetProperty("unread_count").GetInt32());
    }

    [Fact]
    public async Task Concurrent_sends_in_both_directions_all_land_and_count()
    {
        var sends = Enumerable.Range(1, 20).Select(i => i % 2 == 0 ? SendAsync("alice", "bob", $"a{i}", i) : SendAsync("bob", "alice", $"b{i}", i));

        await Task.WhenAll(sends);

        Assert.Equal(20, (await ResultAsync("alice", "conversations/bob/messages")).GetArrayLength());
        Assert.Equal(10, (await ResultAsync("alice", "conversations/bob")).GetProperty("unread_count").GetInt32());
        Assert.Equal(10, (await ResultAsync("bob", "conversations/alice")).GetProperty("unread_count").GetInt32());
    }

    [Fact]
    public async Task Conversations_are_newest_first_and_page_with_before_and_limit_and_archived_ones_are_listed_apart()
    {
        await SendAsync("bob", "alice", "from bob", 1_000);
        await SendAsync("carol", "alice", "from carol", 2_000);
        await SendAsync("dave", "alice", "from dave", 3_000);

        var all = await ResultAsync("alice", "conversations");
        Assert.Equal(["dave", "carol", "bob"], all.EnumerateArray().Select(c => c.GetProperty("conversWith").GetString()!).ToArray());

        var page = await ResultAsync("alice", "conversations?limit=1&before=3000");
        Assert.Equal("carol", Assert.Single(page.EnumerateArray()).GetProperty("conversWith").GetString());
        Assert.Equal(0, (await ResultAsync("alice", "conversations/archived")).GetArrayLength());
    }

    [Fact]
    public async Task Messages_page_newest_first_with_before_and_forward_with_after()
    {
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(i % 2 == 0 ? "bob" : "alice", i % 2 == 0 ? "alice" : "bob", $"m{i}", i * 1_000);
        }

        Assert.Equal(["m5", "m4", "m3", "m2", "m1"], Texts(await ResultAsync("alice", "conversations/bob/messages")));
        Assert.Equal(["m5", "m4"], Texts(await ResultAsync("alice", "conversations/bob/messages?limit=2")));
        Assert.Equal(["m3", "m2"], Texts(await ResultAsync("alice", "conversations/bob/messages?limit=2&before=4000")));
        Assert.Equal(["m3", "m4"], Texts(await ResultAsync("bob", "conversations/alice/messages?limit=2&after=2000")));
        Assert.Equal(0, (await ResultAsync("bob", "conversations/alice/messages?after=5000")).GetArrayLength());
    }

    [Fact]
    public async Task Messages_of_one_millisecond_page_apart_with_the_last_message_id_neither_skipped_nor_repeated()
    {
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync("alice", "bob", $"same ms {i}", 7_000);
        }

        var all = (await ResultAsync("bob", "conversations/alice/messages")).EnumerateArray().ToList();
        var firstPage = (await ResultAsync("bob", "conversations/alice/messages?limit=2")).EnumerateArray().ToList();
        var lastOfFirst = firstPage[^1].GetProperty("message_id").GetGuid();
        var secondPage = (await ResultAsync("bob", $"conversations/alice/messages?limit=10&before=7000&before_id={lastOfFirst}")).EnumerateArray().ToList();
        var forward = (await ResultAsync("bob", $"conversations/alice/messages?limit=10&after=7000&after_id={all[^1].GetProperty("message_id").GetGuid()}")).EnumerateArray().ToList();

        Assert.Equal(all.Select(m => m.GetProperty("message_id").GetGuid()), firstPage.Concat(secondPage).Select(m => m.GetProperty("message_id").GetGuid()));
        Assert.Equal(all.Take(4).Reverse().Select(m => m.GetProperty("message_id").GetGuid()), forward.Select(m => m.GetProperty("message_id").GetGuid()));
        Assert.Equal(0, (await ResultAsync("bob", "conversations/alice/messages?before=7000")).GetArrayLength());
    }

    [Fact]
    public async Task A_malformed_message_id_cursor_is_a_400_in_the_chat21_dialect()
    {
        var response = await As("alice").GetAsync($"/api/{app}/alice/conversations/bob/messages?before=1&before_id=not-an-id");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonOf(response);
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Contains("not-an-id", error.GetProperty("err").GetString());
    }

    [Theory]
    [InlineData("conversations/bob/messages?before_id=0190aaaa-0000-7000-8000-000000000000", "before_id and after_id go with before and after")]
    [InlineData("conversations?limit=0", "limit must be between 1 and 1000")]
    [InlineData("conversations?limit=1001", "limit must be between 1 and 1000")]
    [InlineData("conversations/bob/messages?before=1&after=2", "Use either before or after, not both")]
    public async Task Bad_paging_is_a_400_in_the_chat21_dialect(string path, string message)
    {
        var response = await As("alice").GetAsync($"/api/{app}/alice/{path}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await JsonOf(response)).GetProperty("err").GetString());
    }

    [Fact]
    public async Task A_missing_conversation_is_404()
    {
        var response = await As("alice").GetAsync($"/api/{app}/alice/conversations/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Conversation not found", (await JsonOf(response)).GetProperty("err").GetString());
    }

    [Theory]
    [InlineData("conversations")]
    [InlineData("conversations/archived")]
    [InlineData("conversations/bob")]
    [InlineData("conversations/bob/messages")]
    public async Task A_user_reads_only_their_own_timeline_and_an_admin_reads_anyones(string path)
    {
        await SendAsync("alice", "bob", "private", 1_000);

        var response = await As("mallory").GetAsync($"/api/{app}/alice/{path}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("You can only read your own conversations", (await JsonOf(response)).GetProperty("err").GetString());

        var asAdmin = await fixture.ClientFor(TestIdentity.Admin(app)).GetAsync($"/api/{app}/alice/{path}");
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public async Task A_caller_of_another_app_gets_404_even_as_admin()
    {
        await SendAsync("alice", "bob", "mine", 1_000);
        var other = fixture.ClientFor(TestIdentity.Admin(TestIdentity.NewAppId()));

        var response = await other.GetAsync($"/api/{app}/alice/conversations");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await JsonOf(response)).GetProperty("success").GetBoolean());
    }
}
