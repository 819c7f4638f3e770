using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.TestInfrastructure;
using static Chat.TestInfrastructure.BadInputMessages;

namespace Chat.Groups.Tests.Features.Groups;

/// <summary>Input PostgreSQL can't store, or that doesn't bind, is a 400 in the Chat21 dialect on every route, never a 500.</summary>
[Collection(GroupsCollection.Name)]
public sealed class BadInputTests(GroupsFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient Alice => fixture.ClientFor(TestIdentity.User(app, "alice"));

    private async Task<string> CreateGroupAsync()
    {
        var response = await Alice.PostAsJsonAsync($"/api/{app}/groups", new { group_name = "G", group_members = new Dictionary<string, int> { ["bob"] = 1 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("group").GetProperty("uid").GetString()!;
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(message, error.GetProperty("err").GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("""{"group_name":"x","group_members":{"\ud800":1}}""", $"group_members {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{"\udc00":1}}""", $"group_members {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":["\ud800"]}""", $"group_members {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{"a\u0000":1}}""", $"group_members {Nul}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"\ud800":1}}""", $"attributes {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":["ok","\udc00"]}}""", $"attributes {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":"\udc00\ud800"}}""", $"attributes {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":"\ud800x"}}""", $"attributes {Surrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":"\u0000"}}""", $"attributes {Nul}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":1e1000000}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":[-1e1000000]}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":1e-1000000}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":{"n":0e-16384}}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":1e131072}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"x","group_members":{},"attributes":{"k":0e1073741823}}""", $"attributes {Number}")]
    [InlineData("""{"group_name":"\ud800","group_members":{}}""", $"Invalid JSON body at $.group_name: {MissingLowSurrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"group_id":"\udc00"}""", $"Invalid JSON body at $.group_id: {LoneLowSurrogate}")]
    [InlineData("""{"group_name":"x","group_members":{},"group_id":"a\u0000"}""", "group_id is not a valid id")]
    [InlineData("""{"group_name":"x","group_members":{},"group_id":5}""", "Invalid JSON body at $.group_id: Cannot get the value of a token type 'Number' as a string.")]
    [InlineData("""{"group_name":["x"],"group_members":{}}""", "Invalid JSON body at $.group_name: Cannot get the value of a token type 'StartArray' as a string.")]
    [InlineData("""{"group_name":"x","group_members":{}""", "Invalid JSON body")]
    [InlineData("""[1]""", "Invalid JSON body")]
    public async Task Create_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PostAsync($"/api/{app}/groups", Json(json)), message);

    [Fact]
    public async Task Create_keeps_the_numbers_and_text_postgresql_can_store()
    {
        var digits = new string('7', 20_000);
        var json = $$"""{"group_name":"\ud83d\ude00","group_members":{"\ud83d\ude00":1},"attributes":{"big":1e131071,"small":1e-16383,"zero":0e1000000,"digits":{{digits}}} }""";

        var response = await Alice.PostAsync($"/api/{app}/groups", Json(json));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var group = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("group");
        Assert.Equal("😀", group.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Number, group.GetProperty("members").GetProperty("😀").ValueKind);
        Assert.Equal(20_000, group.GetProperty("attributes").GetProperty("digits").GetRawText().Length);
    }

    [Fact]
    public async Task Create_refuses_json_nested_deeper_than_the_reader_allows()
    {
        var nested = new string('[', 100) + new string(']', 100);

        await AssertBadRequestAsync(
            await Alice.PostAsync($"/api/{app}/groups", Json($$"""{"group_name":"x","group_members":{},"attributes":{"k":{{nested}}} }""")),
            "Invalid JSON body");
    }

    [Fact]
    public async Task Create_refuses_invalid_utf8_in_a_value_or_a_key()
    {
        byte[] Body(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes(after)];

        foreach (var (body, message) in new[]
                 {
                     (Body("{\"group_name\":\"x\",\"group_members\":{},\"attributes\":{\"k\":\"", "\"}}"), "attributes must be valid UTF-8"),
                     (Body("{\"group_name\":\"x\",\"group_members\":{\"", "\":1}}"), "group_members must be valid UTF-8"),
                     (Body("{\"group_name\":\"", "\",\"group_members\":{}}"), "Invalid JSON body at $.group_name: Cannot transcode invalid UTF-8 JSON text to UTF-16 string."),
                 })
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            await AssertBadRequestAsync(await Alice.PostAsync($"/api/{app}/groups", content), message);
        }
    }

    [Theory]
    [InlineData("""{"members":{"\ud800":1}}""", $"members {Surrogate}")]
    [InlineData("""{"members":["bob","\udc00"]}""", $"members {Surrogate}")]
    [InlineData("""["\ud800"]""", $"members {Surrogate}")]
    [InlineData("""{"members":{"\u0000":1}}""", $"members {Nul}")]
    [InlineData("""["a\u0000"]""", $"members {Nul}")]
    [InlineData("""{"members":[1]}""", "members must be an object like {\"<member_id>\":1} or an array of member ids")]
    [InlineData("""{"members":""", "Invalid JSON body")]
    [InlineData("""5""", "members must be an object like {\"<member_id>\":1} or an array of member ids")]
    public async Task Replace_members_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PutAsync($"/api/{app}/groups/{await CreateGroupAsync()}/members", Json(json)), message);

    [Theory]
    [InlineData("""{"member_id":"\ud800"}""", $"Invalid JSON body at $.member_id: {MissingLowSurrogate}")]
    [InlineData("""{"member_id":"a\u0000"}""", "member_id is mandatory")]
    [InlineData("""{"member_id":5}""", "Invalid JSON body at $.member_id: Cannot get the value of a token type 'Number' as a string.")]
    [InlineData("""{"member_id":{"a":1}}""", "Invalid JSON body at $.member_id: Cannot get the value of a token type 'StartObject' as a string.")]
    public async Task Add_member_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PostAsync($"/api/{app}/groups/{await CreateGroupAsync()}/members", Json(json)), message);

    [Theory]
    [InlineData("""{"attributes":{"\ud800":1}}""", $"attributes {Surrogate}")]
    [InlineData("""{"attributes":{"k":{"\udc00":"v"}}}""", $"attributes {Surrogate}")]
    [InlineData("""{"attributes":{"k":["\ud800"]}}""", $"attributes {Surrogate}")]
    [InlineData("""{"attributes":{"\u0000":1}}""", $"attributes {Nul}")]
    [InlineData("""{"attributes":{"k":1e1000000}}""", $"attributes {Number}")]
    [InlineData("""{"attributes":{"k":-1e-1000000}}""", $"attributes {Number}")]
    [InlineData("""{"attributes":[]}""", "attributes is mandatory and must be a JSON object")]
    public async Task Update_attributes_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PutAsync($"/api/{app}/groups/{await CreateGroupAsync()}/attributes", Json(json)), message);

    [Theory]
    [InlineData("""{"group_name":"\ud800"}""", $"Invalid JSON body at $.group_name: {MissingLowSurrogate}")]
    [InlineData("""{"group_name":"a\udc00b"}""", $"Invalid JSON body at $.group_name: {LoneLowSurrogate}")]
    [InlineData("""{"group_name":{"\ud800":1}}""", "Invalid JSON body at $.group_name: Cannot get the value of a token type 'StartObject' as a string.")]
    public async Task Rename_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PutAsync($"/api/{app}/groups/{await CreateGroupAsync()}", Json(json)), message);

    [Theory]
    [InlineData("GET", "/groups/%ED%A0%80")]
    [InlineData("GET", "/groups/%C0%AF")]
    [InlineData("GET", "/groups/%F0%9F%98%80")]
    [InlineData("PUT", "/groups/%ED%A0%80")]
    [InlineData("DELETE", "/groups/%ED%A0%80")]
    [InlineData("DELETE", "/groups/%ED%A0%80/members/bob")]
    public async Task Odd_ids_in_the_path_are_a_404_in_the_chat21_dialect(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), $"/api/{app}{path}")
        {
            Content = method == "PUT" ? Json("""{"group_name":"x"}""") : null,
        };

        var response = await Alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("Group not found", error.GetProperty("err").GetString());
    }

    [Fact]
    public async Task A_long_id_in_the_path_is_a_404_in_the_chat21_dialect()
    {
        var response = await Alice.GetAsync($"/api/{app}/groups/{new string('g', 8_000)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Group not found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("err").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task A_missing_body_is_a_400_in_the_chat21_dialect(string body) =>
        await AssertBadRequestAsync(
            await Alice.PostAsync($"/api/{app}/groups", Json(body)),
            "Implicit body inferred for parameter \"request\" but no body was provided. Did you mean to use a Service instead?");
}
