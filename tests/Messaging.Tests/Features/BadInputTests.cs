using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chat.TestInfrastructure;
using static Chat.TestInfrastructure.BadInputMessages;

namespace Chat.Messaging.Tests.Features;

/// <summary>Input PostgreSQL can't store, or that doesn't bind, is a 400 in the Chat21 dialect on every route, never a 500.</summary>
[Collection(MessagingCollection.Name)]
public sealed class BadInputTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    private HttpClient Alice => fixture.ClientFor(TestIdentity.User(app, "alice"));

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(message, error.GetProperty("err").GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"\ud800":1}}""", $"attributes {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":{"\udc00":1}}}""", $"attributes {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":["\ud800"]}}""", $"attributes {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":"a\udc00"}}""", $"attributes {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"\u0000":1}}""", $"attributes {Nul}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":1e1000000}}""", $"attributes {Number}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":[-1e1000000]}}""", $"attributes {Number}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"k":1e-1000000}}""", $"attributes {Number}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":{"\udc00":1}}""", $"metadata {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":{"k":["\ud800"]}}""", $"metadata {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":{"k":"\u0000"}}""", $"metadata {Nul}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","metadata":{"width":1e1000000}}""", $"metadata {Number}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","type":"image","metadata":{"src":"\ud800","width":1,"height":1}}""", $"metadata {Surrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"\ud800"}""", $"Invalid JSON body at $.text: {MissingLowSurrogate}")]
    [InlineData("""{"sender_fullname":"\udc00","recipient_id":"bob","recipient_fullname":"Bob","text":"x"}""", $"Invalid JSON body at $.sender_fullname: {LoneLowSurrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"\ud800","recipient_fullname":"Bob","text":"x"}""", $"Invalid JSON body at $.recipient_id: {MissingLowSurrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"\udc00","text":"x"}""", $"Invalid JSON body at $.recipient_fullname: {LoneLowSurrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","type":"\ud800"}""", $"Invalid JSON body at $.type: {MissingLowSurrogate}")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","channel_type":["direct"]}""", "Invalid JSON body at $.channel_type: Cannot get the value of a token type 'StartArray' as a string.")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"a\u0000","recipient_fullname":"Bob","text":"x"}""", "recipient_id is mandatory")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","timestamp":"soon"}""", "Invalid JSON body")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","timestamp":1e30}""", "Invalid JSON body")]
    [InlineData("""{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","timestamp":99999999999999999999}""", "Invalid JSON body")]
    [InlineData("""[]""", "Invalid JSON body")]
    [InlineData("""{"sender_fullname":"A",}""", "Invalid JSON body")]
    public async Task Send_refuses_what_postgresql_cannot_store(string json, string message) =>
        await AssertBadRequestAsync(await Alice.PostAsync($"/api/{app}/messages", Json(json)), message);

    [Fact]
    public async Task Send_refuses_invalid_utf8_in_attributes_and_text()
    {
        byte[] Body(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes(after)];

        foreach (var (body, message) in new[]
                 {
                     (Body("{\"text\":\"x\",\"attributes\":{\"k\":\"", "\"},\"sender_fullname\":\"A\",\"recipient_id\":\"bob\",\"recipient_fullname\":\"Bob\"}"), "attributes must be valid UTF-8"),
                     (Body("{\"text\":\"x\",\"metadata\":{\"", "\":1},\"sender_fullname\":\"A\",\"recipient_id\":\"bob\",\"recipient_fullname\":\"Bob\"}"), "metadata must be valid UTF-8"),
                     (Body("{\"sender_fullname\":\"A\",\"recipient_id\":\"bob\",\"recipient_fullname\":\"Bob\",\"text\":\"", "\"}"),
                         "Invalid JSON body at $.text: Cannot transcode invalid UTF-8 JSON text to UTF-16 string."),
                 })
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            await AssertBadRequestAsync(await Alice.PostAsync($"/api/{app}/messages", content), message);
        }
    }

    [Fact]
    public async Task Send_keeps_the_numbers_and_text_postgresql_can_store()
    {
        var json = """{"sender_fullname":"A","recipient_id":"bob","recipient_fullname":"Bob","text":"x","attributes":{"\ud83d\ude00":"\ud83d\ude00","big":1e131071,"small":-1e-16383,"zero":0e1000000} }""";

        var response = await Alice.PostAsync($"/api/{app}/messages", Json(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attributes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetProperty("attributes");
        Assert.Equal("😀", attributes.GetProperty("😀").GetString());
    }

    [Theory]
    [InlineData("/alice/conversations?limit=abc", "Failed to bind parameter \"Nullable<int> Limit\" from \"abc\".")]
    [InlineData("/alice/conversations?limit=-1", "limit must be between 1 and 1000")]
    [InlineData("/alice/conversations?limit=99999999999", "Failed to bind parameter \"Nullable<int> Limit\" from \"99999999999\".")]
    [InlineData("/alice/conversations?before=9999999999999999999", "Failed to bind parameter \"Nullable<long> before\" from \"9999999999999999999\".")]
    [InlineData("/alice/conversations/archived?before=1e3", "Failed to bind parameter \"Nullable<long> before\" from \"1e3\".")]
    [InlineData("/alice/conversations/bob/messages?after=abc", "Failed to bind parameter \"Nullable<long> after\" from \"abc\".")]
    [InlineData("/alice/conversations/bob/messages?before=1&before_id=abc", "Failed to bind parameter \"Nullable<Guid> beforeId\" from \"abc\".")]
    [InlineData("/alice/conversations/bob/messages?limit=0", "limit must be between 1 and 1000")]
    [InlineData("/events?lastEventId=-1", "Last-Event-ID must be the id of an event of this stream")]
    [InlineData("/events?lastEventId=99999999999999999999", "Last-Event-ID must be the id of an event of this stream")]
    public async Task Query_parameters_that_dont_bind_are_a_400(string path, string message) =>
        await AssertBadRequestAsync(await Alice.GetAsync($"/api/{app}{path}"), message);

    [Fact]
    public async Task Delete_with_an_odd_flag_is_a_400() =>
        await AssertBadRequestAsync(await Alice.DeleteAsync($"/api/{app}/conversations/bob?delete=maybe"), "delete must be true or false");

    [Theory]
    [InlineData("GET", "/alice/conversations/%ED%A0%80")]
    [InlineData("GET", "/alice/conversations/%ED%A0%80/messages")]
    [InlineData("POST", "/conversations/%ED%A0%80/read")]
    [InlineData("DELETE", "/conversations/%ED%A0%80")]
    [InlineData("GET", "/alice/conversations/{long}")]
    [InlineData("GET", "/alice/conversations/{long}/messages")]
    [InlineData("POST", "/conversations/{long}/read")]
    [InlineData("DELETE", "/conversations/{long}?delete=true")]
    public async Task Odd_ids_in_the_path_never_fail_the_service(string method, string path)
    {
        var response = await Alice.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/{app}{path.Replace("{long}", new string('c', 3_000))}"));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal(response.StatusCode == HttpStatusCode.OK, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("success").GetBoolean());
    }
}
