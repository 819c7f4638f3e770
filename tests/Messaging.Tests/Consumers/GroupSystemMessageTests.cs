using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Consumers;

[Collection(MessagingCollection.Name)]
public sealed class GroupSystemMessageTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<List<JsonElement>> TimelineAsync(string user, string with) =>
        [.. (await JsonOf(await As(user).GetAsync($"/api/{app}/{user}/conversations/{with}/messages"))).GetProperty("result").EnumerateArray()];

    private Task<List<JsonElement>> TimelineWhenAsync(string user, string with, Func<List<JsonElement>, bool> done, string because) =>
        Eventually.ReturnsAsync(() => TimelineAsync(user, with), done, because: because);

    private static string? LabelOf(JsonElement message) =>
        message.GetProperty("attributes") is { ValueKind: JsonValueKind.Object } attributes
            && attributes.TryGetProperty("messagelabel", out var label) ? label.GetProperty("key").GetString() : null;

    private static List<JsonElement> Labelled(List<JsonElement> timeline, string key) => [.. timeline.Where(m => LabelOf(m) == key)];

    private async Task<Guid> SendToGroupAsync(string from, string group, string text)
    {
        var response = await As(from).PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = from, recipient_id = group, recipient_fullname = "Group", text, channel_type = "group" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("message").GetProperty("message_id").GetGuid();
    }

    private Task JoinAsync(string group, string[] joined, string[] members, long version, Guid? messageId = null) =>
        fixture.PublishAsync(new GroupMembersChanged
        {
            AppId = app, GroupId = group, Change = GroupMembershipChange.Joined, Joined = joined, Left = [], Members = members,
            ChangedBy = members[0], Version = version,
        }, messageId);

    [Fact]
    public async Task A_created_group_greets_every_member_with_a_GROUP_CREATED_system_message()
    {
        await fixture.PublishAsync(new GroupCreated
        {
            AppId = app, GroupId = "group-new", Name = "New team", Owner = "alice", Members = ["alice", "bob"], Version = 1,
        });

        foreach (var member in new[] { "alice", "bob" })
        {
            var message = Assert.Single(await TimelineWhenAsync(member, "group-new", t => t.Count > 0, because: $"{member} is greeted"));
            Assert.Equal("system", message.GetProperty("sender").GetString());
            Assert.Equal("System", message.GetProperty("sender_fullname").GetString());
            Assert.Equal("group-new", message.GetProperty("recipient").GetString());
            Assert.Equal("New team", message.GetProperty("recipient_fullname").GetString());
            Assert.Equal("group", message.GetProperty("channel_type").GetString());
            Assert.Equal("Group created", message.GetProperty("text").GetString());
            var attributes = message.GetProperty("attributes");
            Assert.Equal("info", attributes.GetProperty("subtype").GetString());
            Assert.Equal("GROUP_CREATED", attributes.GetProperty("messagelabel").GetProperty("key").GetString());
            Assert.Equal("alice", attributes.GetProperty("messagelabel").GetProperty("parameters").GetProperty("creator").GetString());
            var conversation = (await JsonOf(await As(member).GetAsync($"/api/{app}/{member}/conversations/group-new"))).GetProperty("result");
            Assert.Equal("New team", conversation.GetProperty("conversWith_fullname").GetString());
            Assert.Equal(1, conversation.GetProperty("unread_count").GetInt32());
        }
    }

    [Fact]
    public async Task A_joining_member_receives_the_recent_history_and_everyone_hears_MEMBER_JOINED_GROUP()
    {
        await fixture.KnowGroupAsync(app, "group-join", "alice", "bob");
        var history = new[] { await SendToGroupAsync("alice", "group-join", "first"), await SendToGroupAsync("bob", "group-join", "second") };

        await JoinAsync("group-join", ["carol"], ["alice", "bob", "carol"], version: 2);

        var carols = await TimelineWhenAsync("carol", "group-join", t => Labelled(t, "MEMBER_JOINED_GROUP").Count > 0, because: "carol joins");
        Assert.Equal(["MEMBER_JOINED_GROUP", null, null, "GROUP_CREATED"], carols.Select(LabelOf));
        Assert.Equal(history.Reverse(), carols.Skip(1).Take(2).Select(m => m.GetProperty("message_id").GetGuid()));
        var joined = carols[0];
        Assert.Equal("carol added to group", joined.GetProperty("text").GetString());
        Assert.Equal("carol", joined.GetProperty("attributes").GetProperty("messagelabel").GetProperty("parameters").GetProperty("member_id").GetString());
        foreach (var member in new[] { "alice", "bob" })
        {
            var timeline = await TimelineAsync(member, "group-join");
            Assert.Equal(joined.GetProperty("message_id").GetGuid(), Assert.Single(Labelled(timeline, "MEMBER_JOINED_GROUP")).GetProperty("message_id").GetGuid());
        }

        var conversation = (await JsonOf(await As("carol").GetAsync($"/api/{app}/carol/conversations/group-join"))).GetProperty("result");
        Assert.Equal("carol added to group", conversation.GetProperty("last_message_text").GetString());
    }

    [Fact]
    public async Task A_member_who_leaves_hears_it_with_those_who_stay_and_then_receives_nothing_more()
    {
        await fixture.KnowGroupAsync(app, "group-leave", "alice", "bob", "carol");

        await fixture.PublishAsync(new GroupMembersChanged
        {
            AppId = app, GroupId = "group-leave", Change = GroupMembershipChange.Left, Joined = [], Left = ["carol"],
            Members = ["alice", "bob"], ChangedBy = "carol", Version = 2,
        });

        foreach (var member in new[] { "alice", "bob", "carol" })
        {
            var timeline = await TimelineWhenAsync(member, "group-leave", t => Labelled(t, "MEMBER_LEFT_GROUP").Count > 0, because: $"{member} hears carol left");
            var left = Assert.Single(Labelled(timeline, "MEMBER_LEFT_GROUP"));
            Assert.Equal("carol left group", left.GetProperty("text").GetString());
            Assert.Equal("carol", left.GetProperty("attributes").GetProperty("messagelabel").GetProperty("parameters").GetProperty("member_id").GetString());
        }

        await SendToGroupAsync("alice", "group-leave", "after carol");
        Assert.Equal(3, (await TimelineAsync("bob", "group-leave")).Count);
        Assert.Equal(2, (await TimelineAsync("carol", "group-leave")).Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await As("carol").PostAsJsonAsync($"/api/{app}/messages",
            new { sender_fullname = "carol", recipient_id = "group-leave", recipient_fullname = "Group", text = "still here?", channel_type = "group" })).StatusCode);
    }

    [Fact]
    public async Task Renaming_a_group_posts_DATA_UPDATED_GROUP_under_the_new_name()
    {
        await fixture.KnowGroupAsync(app, "group-rename", "alice", "bob");

        await fixture.PublishAsync(new GroupUpdated { AppId = app, GroupId = "group-rename", Name = "Renamed", ChangedBy = "alice", Version = 2 });

        var timeline = await TimelineWhenAsync("bob", "group-rename", t => Labelled(t, "DATA_UPDATED_GROUP").Count > 0, because: "bob hears of the rename");
        var updated = Assert.Single(Labelled(timeline, "DATA_UPDATED_GROUP"));
        Assert.Equal("Renamed", updated.GetProperty("recipient_fullname").GetString());
        Assert.Equal("alice", updated.GetProperty("attributes").GetProperty("messagelabel").GetProperty("parameters").GetProperty("updated_by").GetString());
        var conversation = (await JsonOf(await As("bob").GetAsync($"/api/{app}/bob/conversations/group-rename"))).GetProperty("result");
        Assert.Equal("Renamed", conversation.GetProperty("conversWith_fullname").GetString());
    }

    [Fact]
    public async Task A_redelivered_group_event_posts_its_system_message_once()
    {
        await fixture.KnowGroupAsync(app, "group-twice", "alice");
        var messageId = Guid.NewGuid();

        await JoinAsync("group-twice", ["bob"], ["alice", "bob"], version: 2, messageId);
        await JoinAsync("group-twice", ["bob"], ["alice", "bob"], version: 2, messageId);
        await JoinAsync("group-twice", ["dave"], ["alice", "bob", "dave"], version: 3);

        var timeline = await TimelineWhenAsync("alice", "group-twice", t => Labelled(t, "MEMBER_JOINED_GROUP").Count >= 2, because: "both joins arrive");
        Assert.Equal(["dave", "bob"], Labelled(timeline, "MEMBER_JOINED_GROUP").Select(m => m.GetProperty("attributes")
            .GetProperty("messagelabel").GetProperty("parameters").GetProperty("member_id").GetString()));
    }
}
