using System.Diagnostics;
using System.Net;
using Chat.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Chat.Gateway.Tests.Forwarding;

/// <summary>What a client gets when the service or the client fails. Run over HTTP/1.1 and over h2c (<see cref="FailureTestsOverHttp11"/>, <see cref="FailureTestsOverH2c"/>).</summary>
public abstract class FailureTests(bool h2c)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_service_that_is_down_is_502_in_the_route_dialect()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings => settings[GatewayHost.EndpointKey("groups", h2c)] = GatewayHost.DeadAddress());

        using var response = await gateway.Client.SendAsync(StreamingTests.Get("/api/default/groups/g1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Service unavailable\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_service_silent_past_the_route_timeout_is_504_and_is_canceled()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
            settings["ReverseProxy:Routes:chat21-group:Timeout"] = "00:00:01");
        var serviceCanceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Upstream.Handler = async context =>
        {
            context.RequestAborted.Register(serviceCanceled.SetResult);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        var clock = Stopwatch.StartNew();

        using var response = await gateway.Client.SendAsync(StreamingTests.Get("/api/default/groups/g1"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Service timed out\"}", await response.Content.ReadAsStringAsync());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        await serviceCanceled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_service_request()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serviceCanceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Upstream.Handler = async context =>
        {
            context.RequestAborted.Register(serviceCanceled.SetResult);
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var client = gateway.CreateClient();
        using var leaving = new CancellationTokenSource();

        var sending = client.SendAsync(StreamingTests.Get("/api/default/groups/g1"), leaving.Token);
        await arrived.Task.WaitAsync(Patience);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await serviceCanceled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_client_that_leaves_a_stream_cancels_the_service()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        var serviceCanceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Upstream.Handler = async context =>
        {
            context.RequestAborted.Register(serviceCanceled.SetResult);
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: first\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var client = gateway.CreateClient();

        var response = await client.SendAsync(StreamingTests.Get("/api/default/events"), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        await StreamReading.ReadUntilAsync(stream, "data: first", Patience);
        response.Dispose();
        client.Dispose();

        await serviceCanceled.Task.WaitAsync(Patience);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_started_response_that_breaks_aborts_the_client_connection(bool withContentLength)
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        gateway.Upstream.Handler = async context =>
        {
            if (withContentLength)
            {
                context.Response.ContentLength = 1000;
            }

            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            await Task.Delay(100);
            context.Abort();
        };

        using var response = await gateway.Client.SendAsync(
            StreamingTests.Get("/api/default/groups/g1"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failure = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync().WaitAsync(Patience));
        Assert.True(
            failure is HttpRequestException or IOException,
            $"the client must see a broken response, not {failure?.GetType().Name ?? "a clean end"}");
    }

    [Fact]
    public async Task A_declared_body_over_the_route_limit_is_413_without_reaching_the_service()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
            settings["ReverseProxy:Routes:chat21-group:MaxRequestBodySize"] = "1024");

        using var response = await gateway.Client.SendAsync(
            StreamingTests.Post("/api/default/groups/g1/members", new ByteArrayContent(new byte[4096])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Request body too large\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task A_streamed_body_that_grows_over_the_route_limit_is_413()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
            settings["ReverseProxy:Routes:chat21-group:MaxRequestBodySize"] = "1024");
        var body = new PushContent(async stream =>
        {
            await stream.WriteAsync(new byte[8192]);
        });

        using var response = await gateway.Client.SendAsync(StreamingTests.Post("/api/default/groups/g1/members", body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("{\"success\":false,\"err\":\"Request body too large\"}", await response.Content.ReadAsStringAsync());
    }
}

public sealed class FailureTestsOverHttp11() : FailureTests(h2c: false);

public sealed class FailureTestsOverH2c() : FailureTests(h2c: true);
