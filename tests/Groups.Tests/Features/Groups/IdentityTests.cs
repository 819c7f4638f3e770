using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.ServiceDefaults.Identity;
using Chat.TestInfrastructure;

namespace Chat.Groups.Tests.Features.Groups;

[Collection(GroupsCollection.Name)]
public sealed class IdentityTests(GroupsFixture fixture)
{
    [Fact]
    public async Task A_request_without_the_gateways_signature_is_401()
    {
        var response = await fixture.Service.CreateClient().GetAsync("/api/default/groups");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_identity_is_401()
    {
        var client = fixture.ClientFor(TestIdentity.User("default", "alice"));
        client.DefaultRequestHeaders.Remove(IdentityHeaders.User);
        client.DefaultRequestHeaders.Add(IdentityHeaders.User, "admin");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/default/groups")).StatusCode);
    }

    [Theory]
    [InlineData("1765000000000")]
    [InlineData("9223372036854775807")]
    [InlineData("-1")]
    public async Task A_timestamp_in_milliseconds_or_out_of_range_is_401_in_the_chat21_dialect(string timestamp)
    {
        var client = fixture.ClientFor(TestIdentity.User("default", "alice"));
        client.DefaultRequestHeaders.Remove(IdentityHeaders.Timestamp);
        client.DefaultRequestHeaders.Add(IdentityHeaders.Timestamp, timestamp);

        var response = await client.GetAsync("/api/default/groups");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("Unauthorized: requests must come through the gateway", error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task Health_stays_open_and_reports_its_dependencies()
    {
        var response = await fixture.Service.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("postgres", body);
        Assert.Contains("redis", body);
        Assert.Contains("masstransit", body);
    }
}
