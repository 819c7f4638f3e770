using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;

namespace Chat.Groups.Tests.Features.Groups;

[Collection(GroupsCollection.Name)]
public sealed class GroupsApiTests(GroupsFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient As(string user) => fixture.ClientFor(TestIdentity.User(app, user));

    private async Task<JsonElement> CreateAsync(string owner, object body)
    {
        var response = await As(owner).PostAsJsonAsync($"/api/{app}/groups", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("group");
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static string[] MemberIds(JsonElement group) => group.GetProperty("members").EnumerateObject().Select(p => p.Name).Order().ToArray();

    [Fact]
    public async Task Create_answers_201_with_chat21_group_and_the_caller_as_owner_and_member()
    {
        var response = await As("alice").PostAsJsonAsync($"/api/{app}/groups", new { group_name = "Team", group_members = new Dictionary<string, int> { ["bob"] = 1 } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // A small answer is sent whole, with its length, not chunked.
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = JsonDocument.Parse(bytes).RootElement;
        Assert.True(body.GetProperty("success").GetBoolean());
        var group = body.GetProperty("group");
        Assert.Equal($"/api/{app}/groups/{group.GetProperty("uid").GetString()}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("group-", group.GetProperty("uid").GetString());
        Assert.True(Guid.TryParse(group.GetProperty("uid").GetString()!["group-".Length..], out _));
        Assert.Equal("Team", group.GetProperty("name").GetString());
        Assert.Equal(app, group.GetProperty("appId").GetString());
        Assert.Equal("alice", group.GetProperty("owner").GetString());
        Assert.Equal(["alice", "bob"], MemberIds(group));
        Assert.Equal(1, group.GetProperty("members").GetProperty("bob").GetInt32());
        Assert.True(group.GetProperty("createdOn").GetInt64() > 1_600_000_000_000);
        Assert.Equal(group.GetProperty("createdOn").GetInt64(), group.GetProperty("updatedOn").GetInt64());
    }

    [Fact]
    public async Task Create_with_an_explicit_id_and_attributes_keeps_them_and_a_second_create_is_409()
    {
        var group = await CreateAsync("alice", new { group_id = "support-1", group_name = "Support", group_members = new Dictionary<string, int>(), attributes = new { topic = "billing" } });
        Assert.Equal("support-1", group.GetProperty("uid").GetString());
        Assert.Equal("billing", group.GetProperty("attributes").GetProperty("topic").GetString());

        var again = await As("alice").PostAsJsonAsync($"/api/{app}/groups", new { group_id = "support-1", group_name = "Again", group_members = new Dictionary<string, int>() });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var error = await JsonOf(again);
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("Group already exists", error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task Groups_created_at_once_are_all_stored_with_one_event_each_and_a_taken_id_fails_alone()
    {
        var creations = Enumerable.Range(0, 40)
            .Select(i => As($"owner-{i}").PostAsJsonAsync($"/api/{app}/groups", new
            {
                group_id = i % 10 == 3 ? "taken" : $"g-{i}",
                group_name = $"G{i}",
                group_members = new Dictionary<string, int> { ["shared"] = 1, [$"member-{i}"] = 1 },
            }))
            .ToArray();
        var responses = await Task.WhenAll(creations);

        var statuses = responses.Select(response => response.StatusCode).ToArray();
        Assert.Equal(37, statuses.Count(status => status == HttpStatusCode.Created));
        Assert.Equal(3, statuses.Count(status => status == HttpStatusCode.Conflict));
        var shared = (await JsonOf(await As("shared").GetAsync($"/api/{app}/groups"))).GetProperty("result");
        Assert.Equal(37, shared.GetArrayLength());
        foreach (var (response, i) in responses.Select((response, i) => (response, i)).Where(pair => pair.response.StatusCode == HttpStatusCode.Created))
        {
            var group = (await JsonOf(response)).GetProperty("group");
            var stored = (await JsonOf(await As($"member-{i}").GetAsync($"/api/{app}/groups/{group.GetProperty("uid").GetString()}"))).GetProperty("result");
            Assert.Equal(MemberIds(group), MemberIds(stored));
        }

        var events = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Received.Where(r => r.Message is GroupCreated e && e.AppId == app).ToList()),
            received => received.Count >= 37);
        Assert.Equal(37, events.Count);
        Assert.Equal(37, events.Select(r => ((GroupCreated)r.Message).GroupId).Distinct().Count());
        Assert.Equal(37, events.Select(r => r.MessageId).Distinct().Count());
    }

    [Theory]
    [InlineData("""{"group_members":{"bob":1}}""", "group_name is mandatory")]
    [InlineData("""{"group_name":"  ","group_members":{"bob":1}}""", "group_name is mandatory")]
    [InlineData("""{"group_name":"x"}""", "group_members is mandatory")]
    [InlineData("""{"group_name":"x","group_members":"bob"}""", "group_members must be an object like {\"<member_id>\":1} or an array of member ids")]
    [InlineData("""{"group_name":"x","group_members":{"":1}}""", "group_members contains an invalid member id")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":[1]}""", "attributes must be a JSON object")]
    [InlineData("""{"group_name":"x","group_members":{},"group_id":"a/b"}""", "group_id is not a valid id")]
    [InlineData("""{"group_name": 5,"group_members":{}}""", "Invalid JSON body at $.group_name: Cannot get the value of a token type 'Number' as a string.")]
    [InlineData("""{"group_name":""", "Invalid JSON body")]
    [InlineData("""{"group_name":"a\u0000b","group_members":{}}""", "group_name must not contain the NUL character (U+0000)")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":{"\u0000":1}}}""", "attributes must not contain the NUL character (U+0000)")]
    public async Task Create_rejects_bad_input_with_400_in_the_chat21_dialect(string json, string message)
    {
        var response = await As("alice").PostAsync($"/api/{app}/groups", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonOf(response);
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(message, error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task Get_is_for_members_and_admins_only_and_a_missing_group_is_404()
    {
        var group = await CreateAsync("alice", new { group_name = "Private", group_members = new Dictionary<string, int> { ["bob"] = 1 } });
        var uid = group.GetProperty("uid").GetString();

        var asMember = await As("bob").GetAsync($"/api/{app}/groups/{uid}");
        Assert.Equal(HttpStatusCode.OK, asMember.StatusCode);
        var result = (await JsonOf(asMember)).GetProperty("result");
        Assert.Equal(uid, result.GetProperty("uid").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await As("mallory").GetAsync($"/api/{app}/groups/{uid}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.ClientFor(TestIdentity.Admin(app)).GetAsync($"/api/{app}/groups/{uid}")).StatusCode);

        var missing = await As("alice").GetAsync($"/api/{app}/groups/group-nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Group not found", (await JsonOf(missing)).GetProperty("err").GetString());
    }

    [Fact]
    public async Task Another_apps_caller_gets_404_for_an_existing_group()
    {
        var group = await CreateAsync("alice", new { group_name = "Mine", group_members = new Dictionary<string, int>() });
        var other = fixture.ClientFor(TestIdentity.Admin(TestIdentity.NewAppId()));

        var response = await other.GetAsync($"/api/{app}/groups/{group.GetProperty("uid").GetString()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await JsonOf(response)).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task List_returns_only_the_callers_groups()
    {
        await CreateAsync("alice", new { group_name = "A", group_members = new Dictionary<string, int> { ["bob"] = 1 } });
        await CreateAsync("carol", new { group_name = "C", group_members = new Dictionary<string, int> { ["bob"] = 1 } });
        await CreateAsync("carol", new { group_name = "D", group_members = new Dictionary<string, int>() });

        var bobs = (await JsonOf(await As("bob").GetAsync($"/api/{app}/groups"))).GetProperty("result");
        var alices = (await JsonOf(await As("alice").GetAsync($"/api/{app}/groups"))).GetProperty("result");

        Assert.Equal(["A", "C"], bobs.EnumerateArray().Select(g => g.GetProperty("name").GetString()!).Order().ToArray());
        Assert.Equal(["A"], alices.EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task Owner_adds_a_member_once_and_others_cannot()
    {
        var uid = (await CreateAsync("alice", new { group_name = "G", group_members = new Dictionary<string, int>() })).GetProperty("uid").GetString();

        var added = await As("alice").PostAsJsonAsync($"/api/{app}/groups/{uid}/members", new { member_id = "bob" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.True((await JsonOf(added)).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await As("alice").PostAsJsonAsync($"/api/{app}/groups/{uid}/members", new { member_id = "bob" })).StatusCode);

        var forbidden = await As("bob").PostAsJsonAsync($"/api/{app}/groups/{uid}/members", new { member_id = "eve" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As("alice").PostAsJsonAsync($"/api/{app}/groups/{uid}/members", new { })).StatusCode);

        var group = (await JsonOf(await As("alice").GetAsync($"/api/{app}/groups/{uid}"))).GetProperty("result");
        Assert.Equal(["alice", "bob"], MemberIds(group));
        Assert.Equal(HttpStatusCode.NotFound, (await As("alice").PostAsJsonAsync($"/api/{app}/groups/nope/members", new { member_id = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_member_may_leave_but_not_remove_others_and_the_owner_may_remove_anyone()
    {
        var uid = (await CreateAsync("alice", new { group_name = "G", group_members = new Dictionary<string, int> { ["bob"] = 1, ["carol"] = 1 } })).GetProperty("uid").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob").DeleteAsync($"/api/{app}/groups/{uid}/members/carol")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("bob").DeleteAsync($"/api/{app}/groups/{uid}/members/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("alice").DeleteAsync($"/api/{app}/groups/{uid}/members/carol")).StatusCode);

        var group = (await JsonOf(await As("alice").GetAsync($"/api/{app}/groups/{uid}"))).GetProperty("result");
        Assert.Equal(["alice"], MemberIds(group));
    }

    [Theory]
    [InlineData("""{"members":{"bob":1,"dave":1}}""")]
    [InlineData("""{"members":["bob","dave"]}""")]
    [InlineData("""["bob","dave"]""")]
    public async Task Replace_members_accepts_the_object_and_array_forms(string json)
    {
        var uid = (await CreateAsync("alice", new { group_name = "G", group_members = new Dictionary<string, int> { ["bob"] = 1, ["carol"] = 1 } })).GetProperty("uid").GetString();

        var response = await As("alice").PutAsync($"/api/{app}/groups/{uid}/members", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var group = (await JsonOf(await fixture.ClientFor(TestIdentity.Admin(app)).GetAsync($"/api/{app}/groups/{uid}"))).GetProperty("result");
        Assert.Equal(["bob", "dave"], MemberIds(group));
        var changed = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Of<GroupMembersChanged>(e => e.AppId == app && e.GroupId == uid)),
            events => events.Count == 1,
            because: "the replace publishes one GroupMembersChanged");
        Assert.Equal(GroupMembershipChange.Replaced, changed[0].Change);
        Assert.Equal(["dave"], changed[0].Joined);
        Assert.Equal(["alice", "carol"], changed[0].Left.Order().ToArray());
        Assert.Equal(["bob", "dave"], changed[0].Members.Order().ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob").PutAsync($"/api/{app}/groups/{uid}/members", new StringContent(json, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As("alice").PutAsync($"/api/{app}/groups/{uid}/members", new StringContent("""{"members":5}""", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task Rename_and_attributes_merge_are_for_the_owner()
    {
        var uid = (await CreateAsync("alice", new { group_name = "Old", group_members = new Dictionary<string, int> { ["bob"] = 1 }, attributes = new { a = 1, b = 2 } })).GetProperty("uid").GetString();

        var renamed = await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}", new { group_name = "New" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("New", (await JsonOf(renamed)).GetProperty("result").GetProperty("name").GetString());

        var merged = await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}/attributes", new { attributes = new { b = 3, c = "x" } });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var stored = (await JsonOf(await As("bob").GetAsync($"/api/{app}/groups/{uid}"))).GetProperty("result");
        Assert.Equal("New", stored.GetProperty("name").GetString());
        Assert.Equal(1, stored.GetProperty("attributes").GetProperty("a").GetInt32());
        Assert.Equal(3, stored.GetProperty("attributes").GetProperty("b").GetInt32());
        Assert.Equal("x", stored.GetProperty("attributes").GetProperty("c").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob").PutAsJsonAsync($"/api/{app}/groups/{uid}", new { group_name = "Hijack" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}/attributes", new { attributes = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}/attributes", new { attributes = new { k = "a\0b" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}", new { group_name = "a\0b" })).StatusCode);
    }

    [Fact]
    public async Task Delete_is_for_the_owner_and_publishes_the_last_members()
    {
        var uid = (await CreateAsync("alice", new { group_name = "G", group_members = new Dictionary<string, int> { ["bob"] = 1 } })).GetProperty("uid").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob").DeleteAsync($"/api/{app}/groups/{uid}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("alice").DeleteAsync($"/api/{app}/groups/{uid}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await As("alice").GetAsync($"/api/{app}/groups/{uid}")).StatusCode);

        var deleted = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Of<GroupDeleted>(e => e.AppId == app && e.GroupId == uid)),
            events => events.Count == 1);
        Assert.Equal(["alice", "bob"], deleted[0].Members.Order().ToArray());

        // The members went with the group: bob no longer lists it, and the id taken again starts with only its new members.
        var bobs = (await JsonOf(await As("bob").GetAsync($"/api/{app}/groups"))).GetProperty("result");
        Assert.DoesNotContain(bobs.EnumerateArray(), group => group.GetProperty("uid").GetString() == uid);
        var again = await CreateAsync("alice", new { group_id = uid, group_name = "G again", group_members = new Dictionary<string, int> { ["carol"] = 1 } });
        Assert.Equal(["alice", "carol"], MemberIds(again));
        var reloaded = (await JsonOf(await As("alice").GetAsync($"/api/{app}/groups/{uid}"))).GetProperty("result");
        Assert.Equal(["alice", "carol"], MemberIds(reloaded));
    }

    [Fact]
    public async Task Every_change_publishes_one_event_with_increasing_versions_and_distinct_message_ids()
    {
        var uid = (await CreateAsync("alice", new { group_name = "G", group_members = new Dictionary<string, int>() })).GetProperty("uid").GetString();
        await As("alice").PostAsJsonAsync($"/api/{app}/groups/{uid}/members", new { member_id = "bob" });
        await As("alice").PutAsJsonAsync($"/api/{app}/groups/{uid}", new { group_name = "G2" });
        await As("bob").DeleteAsync($"/api/{app}/groups/{uid}/members/bob");

        var events = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Events.Received.Where(r => r.Message is IntegrationEvent e && e.AppId == app).ToList()),
            received => received.Count == 4);
        var versions = events.Select(r => r.Message switch
        {
            GroupCreated e => e.Version,
            GroupMembersChanged e => e.Version,
            GroupUpdated e => e.Version,
            _ => -1,
        }).Order().ToArray();
        Assert.Equal([1L, 2L, 3L, 4L], versions);
        Assert.Equal(4, events.Select(r => r.MessageId).Distinct().Count());
        Assert.All(events, r => Assert.NotNull(r.MessageId));
    }
}
