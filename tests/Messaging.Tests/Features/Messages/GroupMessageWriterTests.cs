using System.Net;
using System.Net.Http.Json;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Features.Messages;

[Collection(MessagingCollection.Name)]
public sealed class GroupMessageWriterTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    [Fact]
    public async Task Concurrent_sends_to_one_group_all_land_in_order_and_an_outsider_among_them_is_refused_alone()
    {
        string[] members = ["m0", "m1", "m2", "m3", "m4"];
        await fixture.KnowGroupAsync(app, "busy", members);
        var sends = Enumerable.Range(0, 120).Select(i => members[i % members.Length]).ToArray();

        var responses = await Task.WhenAll(sends.Select(Send).Append(Send("outsider")));

        Assert.All(responses[..^1], response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(HttpStatusCode.Forbidden, responses[^1].StatusCode);
        foreach (var member in members)
        {
            // The greeting of the group's creation, then every send.
            var expected = sends.Length + 1L;
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT seq FROM feed_heads WHERE app_id = $1 AND user_id = $2", member));
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT count(DISTINCT seq) FROM feed_events WHERE app_id = $1 AND user_id = $2", member));
            Assert.Equal(expected, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", member));
            Assert.Equal(
                sends.Count(sender => sender != member) + 1L,
                await fixture.ScalarAsync(app, "SELECT unread_count FROM conversations WHERE app_id = $1 AND timeline_of = $2", member));
        }

        Assert.Equal(0L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "outsider"));
    }

    private Task<HttpResponseMessage> Send(string sender) =>
        fixture.ClientFor(TestIdentity.User(app, sender)).PostAsJsonAsync($"/api/{app}/messages", new
        {
            sender_fullname = sender, recipient_id = "busy", recipient_fullname = "Busy", text = "hello", channel_type = "group",
        });
}
