using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Chat.Gateway.Tests.Infrastructure;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace Chat.Gateway.Tests.Forwarding;

/// <summary>Which headers reach the service and the client. Run over HTTP/1.1 and over h2c (<see cref="HeaderTestsOverHttp11"/>, <see cref="HeaderTestsOverH2c"/>).</summary>
public abstract class HeaderTests(bool h2c) : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync(h2c: h2c);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Hop_by_hop_headers_and_Host_stay_behind_and_forwarding_headers_are_set()
    {
        var (status, _, body) = await RawHttp.SendAsync(_gateway.Address, $"""
            GET /api/default/groups/g1?x=1 HTTP/1.1
            Host: chat.example:8004
            Authorization: JWT {TestTokens.ForUser()}
            Connection: X-Hop-Secret
            Keep-Alive: timeout=5
            X-Hop-Secret: connection-only
            Proxy-Authorization: Basic Zm9vOmJhcg==
            Proxy-Connection: keep-alive
            TE: trailers
            Trailer: X-Checksum
            X-Forwarded-For: 203.0.113.7
            X-Forwarded-Proto: https
            X-Forwarded-Host: spoofed.example
            X-Forwarded-Prefix: /spoofed
            X-Custom: kept
            """);

        Assert.Equal(200, status);
        var echo = System.Text.Json.JsonSerializer.Deserialize<Echo>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        var seen = echo.Headers;
        foreach (var dropped in new[] { "Connection", "Keep-Alive", "X-Hop-Secret", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "X-Forwarded-Prefix" })
        {
            Assert.False(seen.ContainsKey(dropped), $"{dropped} must not reach the service");
        }

        Assert.Equal(h2c ? "HTTP/2" : "HTTP/1.1", _gateway.Upstream.LastProtocol);
        Assert.Equal(new Uri(h2c ? _gateway.Upstream.H2cAddress : _gateway.Upstream.Address).Authority, seen["Host"]);
        Assert.Equal("203.0.113.7, 127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal("chat.example:8004", seen["X-Forwarded-Host"]);
        Assert.Equal("kept", seen["X-Custom"]);
        Assert.Equal("/api/default/groups/g1?x=1", echo.Target);
    }

    [Fact]
    public async Task Hop_by_hop_response_headers_stay_behind()
    {
        _gateway.Upstream.Handler = context =>
        {
            var headers = context.Response.Headers;
            headers.Connection = "X-Upstream-Hop";
            headers["X-Upstream-Hop"] = "connection-only";
            headers["Keep-Alive"] = "timeout=5";
            headers["Proxy-Authenticate"] = "Basic realm=\"upstream\"";
            headers["Alt-Svc"] = "h3=\":443\"";
            headers["X-Kept"] = "yes";
            headers.Append("Set-Cookie", "a=1");
            headers.Append("Set-Cookie", "b=2");
            return context.Response.WriteAsync("ok");
        };

        var (status, head, body) = await RawHttp.SendAsync(_gateway.Address, $"""
            GET /api/default/groups/g1 HTTP/1.1
            Host: localhost
            Authorization: JWT {TestTokens.ForUser()}
            """);

        Assert.Equal(200, status);
        Assert.Equal("ok", body);
        var lines = head.Split("\r\n").Skip(1).ToArray();
        // HTTP/2 has no connection-specific headers: a service can't name one in Connection there (its server drops the
        // header), so only over HTTP/1.1 does X-Upstream-Hop end at the gateway.
        string[] connectionOnly = h2c ? [] : ["X-Upstream-Hop:"];
        foreach (var dropped in new[] { "Connection:", "Keep-Alive:", "Proxy-Authenticate:", "Alt-Svc:" }.Concat(connectionOnly))
        {
            Assert.DoesNotContain(lines, line => line.StartsWith(dropped, StringComparison.OrdinalIgnoreCase));
        }

        // Header names are case-insensitive; over HTTP/2 they arrive, and are passed on, in lower case.
        Assert.Contains(lines, line => line.Equals("X-Kept: yes", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Set-Cookie: a=1", lines);
        Assert.Contains("Set-Cookie: b=2", lines);
    }

    [Fact]
    public async Task Incoming_identity_headers_are_replaced_by_the_signed_verified_identity()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/default/groups/g1");
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "JWT", TestTokens.ForUser(subject: "user-7", name: "Zoë Lì", roles: new[] { "admin" }, rolesClaim: "tiledesk_api_roles"));
        request.Headers.Add("X-Chat-User", "intruder");
        request.Headers.Add("X-Chat-App", "other");
        request.Headers.Add("X-Chat-Roles", "admin");
        request.Headers.Add("X-Chat-Signature", "forged");
        request.Headers.Add("X-Chat-Anything", "smuggled");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = _gateway.Upstream.LastHeaders!;
        Assert.False(headers.ContainsKey("X-Chat-Anything"));
        var identity = IdentityHeaders.Read(headers, Encoding.UTF8.GetBytes(GatewayHost.SigningKey), DateTimeOffset.UtcNow);
        Assert.NotNull(identity);
        Assert.Equal("default", identity.AppId);
        Assert.Equal("user-7", identity.UserId);
        Assert.Equal("Zoë Lì", identity.UserName);
        Assert.Equal(["admin"], identity.Roles);
        Assert.Equal(TokenKind.Jwt, identity.TokenKind);
        Assert.Null(IdentityHeaders.Read(headers, Encoding.UTF8.GetBytes("some other key"), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task The_client_trace_context_flows_to_the_service()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using var request = StreamingTests.Get("/api/default/groups/g1");
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");

        using var response = await _gateway.Client.SendAsync(request);

        var traceparent = Assert.Single(_gateway.Upstream.LastHeaders!["traceparent"]);
        Assert.StartsWith($"00-{traceId}-", traceparent);
    }

    [Fact]
    public async Task When_the_gateway_traces_the_service_sees_the_gateways_span_in_the_clients_trace()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var request = StreamingTests.Get("/api/default/groups/g1");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await _gateway.Client.SendAsync(request);

        var traceparent = Assert.Single(_gateway.Upstream.LastHeaders!["traceparent"]);
        Assert.StartsWith($"00-{traceId}-", traceparent);
        Assert.DoesNotContain("00f067aa0ba902b7", traceparent);
    }
}

public sealed class HeaderTestsOverHttp11() : HeaderTests(h2c: false);

public sealed class HeaderTestsOverH2c() : HeaderTests(h2c: true);
