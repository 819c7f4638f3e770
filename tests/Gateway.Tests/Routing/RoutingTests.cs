using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Chat.Gateway.Tests.Infrastructure;

namespace Chat.Gateway.Tests.Routing;

public class RoutingTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync(upstreamPerService: true);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/default/groups", "groups")]
    [InlineData("POST", "/api/default/groups", "groups")]
    [InlineData("GET", "/api/default/groups/g1", "groups")]
    [InlineData("DELETE", "/api/default/groups/g1/members/u2", "groups")]
    [InlineData("POST", "/api/default/messages", "messaging")]
    [InlineData("GET", "/api/default/u1/conversations", "messaging")]
    [InlineData("DELETE", "/api/default/conversations/u2?delete=true", "messaging")]
    [InlineData("GET", "/api/default/events", "messaging")]
    [InlineData("POST", "/v1/embeddings", "knowledge")]
    [InlineData("POST", "/v1/chat/completions", "aibot")]
    [InlineData("GET", "/v1/models", "aibot")]
    [InlineData("POST", "/v1/conversation", "aibot")]
    public async Task Routes_reach_their_cluster_with_path_and_query_unchanged(string method, string target, string service)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", TestTokens.ForUser());

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(service, Assert.Single(response.Headers.GetValues("X-Upstream")));
        Assert.Equal(target, (await Echo.ReadAsync(response)).Target);
    }

    [Theory]
    [InlineData("/api/messages/conv_1", "ai-chat")]
    [InlineData("/api/conversations", "ai-chat")]
    [InlineData("/api/tools/weather/execute", "ai-chat")]
    [InlineData("/v8/memories", "dathor")]
    [InlineData("/acme/shop/robot/rule", "easemob")]
    public async Task Reserved_and_other_api_families_never_reach_chat21_services(string target, string dialect)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", TestTokens.ForUser());

        using var response = await _gateway.Client.SendAsync(request);

        // Their token kinds (session, ek/ak, app) have no validator yet, so a Chat21 JWT is refused in their dialect.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(dialect switch
        {
            "ai-chat" => "{\"success\":false,\"message\":\"Invalid token\"}",
            "dathor" => "{\"error\":{\"message\":\"Invalid token\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}",
            _ => body.RootElement.GetRawText(),
        }, body.RootElement.GetRawText());
        if (dialect == "easemob")
        {
            Assert.Equal("unauthorized", body.RootElement.GetProperty("error").GetString());
            Assert.Equal("Unable to authenticate (OAuth)", body.RootElement.GetProperty("error_description").GetString());
            Assert.Equal(0, body.RootElement.GetProperty("duration").GetInt32());
            Assert.True(body.RootElement.GetProperty("timestamp").GetInt64() > 0);
        }

        Assert.All(_gateway.Upstreams.Values, upstream => Assert.Equal(0, upstream.Requests));
    }

    [Theory]
    [InlineData("/api/auth/login")]
    [InlineData("/api/Default/groups")]
    [InlineData("/nothing")]
    [InlineData("/")]
    public async Task Unknown_paths_are_404_in_the_chat21_dialect(string target)
    {
        using var response = await _gateway.Client.PostAsync(target, null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Not found\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_method_the_route_does_not_allow_is_405_in_its_dialect()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/default/groups/g1");
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", TestTokens.ForUser());

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Method not allowed\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenAi_routes_answer_a_missing_token_in_the_openai_dialect()
    {
        using var response = await _gateway.Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "{\"error\":{\"message\":\"Missing authorization token\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dathor_routes_answer_a_missing_token_as_dathor_does()
    {
        using var response = await _gateway.Client.GetAsync("/v8/memories");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "{\"error\":{\"message\":\"Missing bearer authentication in header\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}",
            await response.Content.ReadAsStringAsync());
    }
}
