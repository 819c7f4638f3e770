using System.Net.Http.Json;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Consumers;

[Collection(MessagingCollection.Name)]
public sealed class BotReplyReadyTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private async Task<List<JsonElement>> TimelineAsync(string user, string with) =>
        [.. (await (await As(user).GetAsync($"/api/{app}/{user}/conversations/{with}/messages")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("result").EnumerateArray()];

    private BotReplyReady Reply(string recipient, string channelType = "direct", Guid? replyId = null) => new()
    {
        AppId = app, ReplyId = replyId ?? Guid.CreateVersion7(), BotUserId = "bot-helper", BotFullname = "Helper", RecipientId = recipient,
        RecipientFullname = "Recipient", ChannelType = channelType, Text = "Here is your answer",
        Attributes = JsonSerializer.SerializeToElement(new { bot = true }),
    };

    [Fact]
    public async Task A_bot_reply_is_delivered_like_a_message_from_the_bots_user()
    {
        await using var stream = await EventStreamClient.OpenAsync(As("alice"), $"/api/{app}/events");
        var reply = Reply("alice");

        await fixture.PublishAsync(reply);

        var live = await stream.NextAsync();
        Assert.Equal("message", live.Event);
        var stored = Assert.Single(await TimelineAsync("alice", "bot-helper"));
        Assert.Equal(reply.ReplyId, stored.GetProperty("message_id").GetGuid());
        Assert.Equal("bot-helper", stored.GetProperty("sender").GetString());
        Assert.Equal("Helper", stored.GetProperty("sender_fullname").GetString());
        Assert.Equal("Here is your answer", stored.GetProperty("text").GetString());
        Assert.True(stored.GetProperty("attributes").GetProperty("bot").GetBoolean());
        Assert.Equal(reply.ReplyId, Assert.Single(await TimelineAsync("bot-helper", "alice")).GetProperty("message_id").GetGuid());
        await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Of<MessageSent>(e => e.MessageId == reply.ReplyId).Count),
            count => count == 1, because: "the reply is announced like any message");
    }

    [Fact]
    public async Task A_reply_published_twice_is_stored_once()
    {
        var reply = Reply("bob");

        await fixture.PublishAsync(reply);
        await fixture.PublishAsync(reply);
        await fixture.PublishAsync(Reply("bob") with { Text = "second answer" });

        var timeline = await Eventually.ReturnsAsync(() => TimelineAsync("bob", "bot-helper"), t => t.Count >= 2, because: "both replies arrive");
        Assert.Single(timeline, m => m.GetProperty("message_id").GetGuid() == reply.ReplyId);
        Assert.Equal(2, timeline.Count);
    }

    [Fact]
    public async Task A_group_reply_reaches_the_members_only_when_the_bot_is_one_of_them()
    {
        await fixture.KnowGroupAsync(app, "group-without-bot", "alice", "bob");
        await fixture.KnowGroupAsync(app, "group-with-bot", "alice", "bot-helper");
        var refused = Reply("group-without-bot", "group");
        var accepted = Reply("group-with-bot", "group");

        await fixture.PublishAsync(refused);
        await fixture.PublishAsync(accepted);

        await Eventually.ReturnsAsync(() => TimelineAsync("alice", "group-with-bot"),
            t => t.Any(m => m.GetProperty("message_id").GetGuid() == accepted.ReplyId), because: "the member bot's reply arrives");
        Assert.DoesNotContain(await TimelineAsync("alice", "group-without-bot"), m => m.GetProperty("message_id").GetGuid() == refused.ReplyId);
    }
}
