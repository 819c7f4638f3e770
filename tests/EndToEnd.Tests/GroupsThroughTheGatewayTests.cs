using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.TestInfrastructure;
using Npgsql;

namespace Chat.EndToEnd.Tests;

/// <summary>Seed 000's group commands against the running platform, and their events reaching Messaging exactly once.</summary>
[Collection(SuiteCollection.Name)]
public sealed class GroupsThroughTheGatewayTests(SuiteFixture suite)
{
    private const string MembersConsumer = "GroupMembersChangedConsumer";

    private static async Task<long> InboxCountAsync(NpgsqlDataSource messaging)
    {
        await using var command = messaging.CreateCommand("SELECT count(*) FROM inbox_messages WHERE consumer = $1");
        command.Parameters.Add(new() { Value = MembersConsumer });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(long Version, string[] Members)?> DirectoryEntryAsync(NpgsqlDataSource messaging, string groupId)
    {
        await using var command = messaging.CreateCommand("SELECT version, members FROM group_directory WHERE app_id = 'default' AND group_id = $1");
        command.Parameters.Add(new() { Value = groupId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetFieldValue<string[]>(1).Order().ToArray()) : null;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_seed_group_commands_work_and_each_membership_event_is_consumed_once()
    {
        await using var messaging = await suite.DatabaseAsync("messagingdb");
        await using var probe = await BusProbe.StartAsync((await suite.App.GetConnectionStringAsync("messaging-bus"))!, BusProbe.Listen<GroupMembersChanged>());
        var inboxBefore = await InboxCountAsync(messaging);
        var owner = suite.Chat21Client("owner-1");

        var created = await owner.PostAsync("/api/default/groups", Json("""{"group_name": "Seed group", "group_members": {"member-1":1}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var groupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("group").GetProperty("uid").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync($"/api/default/groups/{groupId}/members", Json("""{"member_id": "member-2"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/default/groups/{groupId}/members/member-1")
        {
            Content = Json("""{"member_id": "member-1"}"""),
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsync($"/api/default/groups/{groupId}/members", Json("""{"members": {"member-3":1, "member-4":1}}"""))).StatusCode);

        var group = (await (await owner.GetAsync($"/api/default/groups/{groupId}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        Assert.Equal(["member-3", "member-4"], group.GetProperty("members").EnumerateObject().Select(p => p.Name).Order().ToArray());

        var published = await Eventually.ReturnsAsync(
            () => Task.FromResult(probe.Received.Where(r => r.Message is GroupMembersChanged e && e.GroupId == groupId).ToList()),
            received => received.Count == 3,
            because: "join, leave and replace each publish one GroupMembersChanged");
        await Eventually.ReturnsAsync(() => InboxCountAsync(messaging), count => count - inboxBefore == 3, because: "Messaging consumes each one");
        await Eventually.ReturnsAsync(() => DirectoryEntryAsync(messaging, groupId), entry => entry?.Version == 4);

        await using var inbox = messaging.CreateCommand("SELECT count(*) FROM inbox_messages WHERE consumer = $1 AND message_id = ANY($2)");
        inbox.Parameters.Add(new() { Value = MembersConsumer });
        inbox.Parameters.Add(new() { Value = published.Select(r => r.MessageId!.Value).ToArray() });
        Assert.Equal(3L, await inbox.ExecuteScalarAsync());
        Assert.Equal(["member-3", "member-4"], (await DirectoryEntryAsync(messaging, groupId))!.Value.Members);
    }

    [Fact]
    public async Task Changes_made_while_the_broker_is_down_are_all_delivered_once_it_returns()
    {
        await using var messaging = await suite.DatabaseAsync("messagingdb");
        var owner = suite.Chat21Client("owner-2");
        var created = await owner.PostAsync("/api/default/groups", Json("""{"group_name": "Outage", "group_members": {}}"""));
        var groupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("group").GetProperty("uid").GetString()!;
        await Eventually.ReturnsAsync(() => DirectoryEntryAsync(messaging, groupId), entry => entry?.Version == 1, TimeSpan.FromSeconds(30));
        var inboxBefore = await InboxCountAsync(messaging);

        const int changes = 20;
        await suite.App.ResourceCommands.ExecuteCommandAsync("messaging-bus", KnownResourceCommands.StopCommand);
        try
        {
            using var groupsService = new HttpClient { BaseAddress = suite.App.GetEndpoint("groups", "http") };
            var health = await Eventually.ReturnsAsync<(HttpResponseMessage, string)>(
                async () => (await groupsService.GetAsync("/health"), await groupsService.GetStringAsync("/health")),
                probe => probe.Item2.Contains("\"Degraded\""),
                because: "a broker outage degrades the service without taking it out of rotation");
            Assert.Equal(HttpStatusCode.OK, health.Item1.StatusCode);

            for (var i = 0; i < changes; i++)
            {
                var add = await owner.PostAsync($"/api/default/groups/{groupId}/members", Json($$"""{"member_id": "m{{i}}"}"""));
                Assert.Equal(HttpStatusCode.OK, add.StatusCode);
            }
        }
        finally
        {
            await suite.App.ResourceCommands.ExecuteCommandAsync("messaging-bus", KnownResourceCommands.StartCommand);
            await suite.App.ResourceNotifications.WaitForResourceHealthyAsync("messaging-bus");
        }

        await Eventually.ReturnsAsync(() => InboxCountAsync(messaging), count => count - inboxBefore >= changes, TimeSpan.FromSeconds(120),
            because: "every change made during the outage reaches Messaging");
        await Eventually.ReturnsAsync(() => DirectoryEntryAsync(messaging, groupId), entry => entry?.Version == changes + 1, TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        Assert.Equal(changes, await InboxCountAsync(messaging) - inboxBefore);
        var members = (await DirectoryEntryAsync(messaging, groupId))!.Value.Members;
        Assert.Equal(changes + 1, members.Length);
    }

    [Fact]
    public async Task Bad_tokens_get_401_in_the_chat21_dialect_and_a_service_port_without_the_gateway_gets_401()
    {
        var forged = new HttpClient { BaseAddress = suite.Gateway };
        forged.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "JWT " + TestIdentity.Jwt("not-the-secret", "default", "eve"));
        var response = await forged.GetAsync("/api/default/groups");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("err").GetString()));

        using var direct = new HttpClient { BaseAddress = suite.App.GetEndpoint("groups", "http") };
        direct.DefaultRequestHeaders.Add("X-Chat-App", "default");
        direct.DefaultRequestHeaders.Add("X-Chat-User", "eve");
        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.GetAsync("/api/default/groups")).StatusCode);
    }
}
