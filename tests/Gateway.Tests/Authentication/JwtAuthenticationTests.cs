using System.Net;
using System.Text;
using Chat.Gateway.Tests.Infrastructure;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway.Tests.Authentication;

public class JwtAuthenticationTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    public static TheoryData<string, string?> AcceptedPlaces => new()
    {
        { "/api/default/groups", "JWT {0}" },
        { "/api/default/groups", "Bearer {0}" },
        { "/api/default/groups", "bearer {0}" },
        { "/api/default/groups", "{0}" },
        { "/api/default/groups?token={0}", null },
        { "/api/default/groups?jwt={0}", null },
        { "/api/default/groups?JWT={0}", null },
    };

    [Theory]
    [MemberData(nameof(AcceptedPlaces))]
    public async Task A_valid_token_is_accepted_where_chat21_clients_put_it(string target, string? authorization)
    {
        var token = TestTokens.ForUser(subject: "user-42", name: "Ada");
        using var request = new HttpRequestMessage(HttpMethod.Get, string.Format(target, token));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", string.Format(authorization, token));
        }

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = ForwardedIdentity();
        Assert.Equal(("default", "user-42", "Ada", TokenKind.Jwt), (identity.AppId, identity.UserId, identity.UserName, identity.TokenKind));
        Assert.Empty(identity.Roles);
    }

    [Theory]
    [InlineData("roles", "admin")]
    [InlineData("roles", new[] { "admin", "agent" })]
    [InlineData("tiledesk_api_roles", "admin")]
    [InlineData("tiledesk_api_roles", new[] { "agent", "admin" })]
    public async Task Roles_come_from_roles_or_tiledesk_api_roles_as_a_string_or_array(string claim, object roles)
    {
        using var response = await SendAsync("/api/default/groups", TestTokens.ForUser(roles: roles, rolesClaim: claim));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = ForwardedIdentity();
        Assert.True(identity.IsAdmin);
        Assert.Equal(roles is string ? 1 : 2, identity.Roles.Count);
    }

    [Fact]
    public async Task A_token_of_another_app_works_on_that_apps_paths()
    {
        using var response = await SendAsync("/api/other/groups/g1", TestTokens.ForUser(app: "other", secret: GatewayHost.OtherSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other", ForwardedIdentity().AppId);
    }

    [Fact]
    public async Task A_token_expired_less_than_a_minute_ago_is_within_the_clock_skew()
    {
        using var response = await SendAsync("/api/default/groups", TestTokens.ForUser(expiresIn: TimeSpan.FromSeconds(-20)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_cached_token_keeps_working_and_keeps_its_identity()
    {
        var token = TestTokens.ForUser(subject: "user-cached");
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync("/api/default/messages", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("user-cached", ForwardedIdentity().UserId);
        }
    }

    public static TheoryData<string, string, string> RefusedTokens()
    {
        var valid = TestTokens.ForUser();
        var parts = valid.Split('.');
        var escalated = TestTokens.Encode(Encoding.UTF8.GetBytes(
            $"{{\"sub\":\"root\",\"app_id\":\"default\",\"roles\":\"admin\",\"exp\":{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}"));
        var jweHeader = TestTokens.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}"));
        return new TheoryData<string, string, string>
        {
            { "forged signature", $"{parts[0]}.{escalated}.{parts[2]}", "Invalid token" },
            { "expired", TestTokens.ForUser(expiresIn: TimeSpan.FromMinutes(-5)), "Token expired" },
            { "alg none", TestTokens.WithAlgorithmNone(TestTokens.Claims()), "Invalid token" },
            { "alg none with a signature", TestTokens.Sign(new { alg = "none" }, TestTokens.Claims(), GatewayHost.DefaultSecret), "Invalid token" },
            { "HS512", TestTokens.Sign(new { alg = "HS512", typ = "JWT" }, TestTokens.Claims(), GatewayHost.DefaultSecret, "HS512"), "Invalid token" },
            { "RS256 header, HMAC signature", TestTokens.Sign(new { alg = "RS256", typ = "JWT" }, TestTokens.Claims(), GatewayHost.DefaultSecret), "Invalid token" },
            { "alg HS256 then none", TestTokens.SignRawHeader("{\"alg\":\"HS256\",\"alg\":\"none\"}", TestTokens.Claims(), GatewayHost.DefaultSecret), "Invalid token" },
            { "alg none then HS256", TestTokens.SignRawHeader("{\"alg\":\"none\",\"alg\":\"HS256\"}", TestTokens.Claims(), GatewayHost.DefaultSecret), "Invalid token" },
            { "crit header", TestTokens.Sign(new { alg = "HS256", crit = new[] { "exp" } }, TestTokens.Claims(), GatewayHost.DefaultSecret), "Invalid token" },
            { "JWE (5 parts)", $"{jweHeader}.{parts[1]}.{parts[1]}.{parts[1]}.{parts[2]}", "Invalid token" },
            { "wrong secret", TestTokens.ForUser(secret: "not-the-app-secret-0123456789abc"), "Invalid token" },
            { "unknown app", TestTokens.ForUser(app: "ghost", secret: GatewayHost.DefaultSecret), "Invalid token" },
            { "other app's token", TestTokens.ForUser(app: "other", secret: GatewayHost.OtherSecret), "Token app does not match" },
            { "no exp", TestTokens.Sign(new { alg = "HS256" }, new { sub = "user-1", app_id = "default" }, GatewayHost.DefaultSecret), "Invalid token" },
            { "no sub", TestTokens.Sign(new { alg = "HS256" }, new { app_id = "default", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }, GatewayHost.DefaultSecret), "Invalid token" },
            { "not yet valid", TestTokens.Sign(new { alg = "HS256" }, new { sub = "u", app_id = "default", nbf = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), exp = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds() }, GatewayHost.DefaultSecret), "Invalid token" },
            { "oversized", TestTokens.ForUser(name: new string('n', 5000)), "Invalid token" },
            { "garbage", "not-a-token", "Invalid token" },
            { "garbage with dots", "a.b.c", "Invalid token" },
            { "unknown scheme", "Basic dXNlcjpwYXNz", "Invalid token" },
        };
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Refused_tokens_are_401_in_the_chat21_dialect_and_never_reach_the_service(string why, string token, string message)
    {
        using var response = await SendAsync("/api/default/groups/g1", token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Equal($"{{\"success\":false,\"err\":\"{message}\"}}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _gateway.Upstream.Requests);
    }

    [Fact]
    public async Task A_disabled_apps_token_is_refused_without_saying_why()
    {
        using var response = await SendAsync("/api/disabled/groups", TestTokens.ForUser(app: "disabled", secret: GatewayHost.DisabledSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Invalid token\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("JWT ")]
    [InlineData("Bearer")]
    public async Task A_missing_token_is_401_with_a_clear_message(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/default/groups");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            body is "{\"success\":false,\"err\":\"Missing authorization token\"}" or "{\"success\":false,\"err\":\"Invalid token\"}",
            body);
        Assert.Equal(0, _gateway.Upstream.Requests);
    }

    private async Task<HttpResponseMessage> SendAsync(string target, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("Authorization", token);
        return await _gateway.Client.SendAsync(request);
    }

    private CallerIdentity ForwardedIdentity() =>
        IdentityHeaders.Read(_gateway.Upstream.LastHeaders!, Encoding.UTF8.GetBytes(GatewayHost.SigningKey), DateTimeOffset.UtcNow)
        ?? throw new InvalidOperationException("The service received no verifiable identity.");
}
