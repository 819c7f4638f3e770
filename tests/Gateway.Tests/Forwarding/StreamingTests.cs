using System.Net;
using System.Net.Http.Headers;
using Chat.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Chat.Gateway.Tests.Forwarding;

/// <summary>Streaming through the gateway, both ways. Run over HTTP/1.1 and over h2c (<see cref="StreamingTestsOverHttp11"/>, <see cref="StreamingTestsOverH2c"/>).</summary>
public abstract class StreamingTests(bool h2c)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Server_sent_events_arrive_chunk_by_chunk()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        var firstEventRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondWritten = false;
        gateway.Upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await firstEventRead.Task.WaitAsync(Patience);
            secondWritten = true;
            await context.Response.WriteAsync("data: two\n\n");
        };

        using var response = await gateway.Client.SendAsync(Get("/api/default/events"), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var first = await StreamReading.ReadUntilAsync(stream, "data: one\n\n", Patience);

        Assert.False(secondWritten, "the first event must arrive before the service writes the second");
        Assert.Equal("data: one\n\n", first);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        firstEventRead.SetResult();
        Assert.Equal("data: two\n\n", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Response_headers_arrive_before_the_first_event()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        var headersSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            await headersSeen.Task.WaitAsync(Patience);
            await context.Response.WriteAsync("data: late\n\n");
        };

        using var response = await gateway.Client
            .SendAsync(Get("/api/default/events"), HttpCompletionOption.ResponseHeadersRead)
            .WaitAsync(Patience);
        headersSeen.SetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: late\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_stream_may_stay_silent_longer_than_the_header_timeout()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
            settings["ReverseProxy:Routes:chat21-messaging:Timeout"] = "00:00:01");
        gateway.Upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": heartbeat\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            await context.Response.WriteAsync("data: after the silence\n\n");
        };

        using var response = await gateway.Client.SendAsync(Get("/api/default/events"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(": heartbeat\n\ndata: after the silence\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_request_body_is_streamed_to_the_service_as_it_arrives()
    {
        const int chunk = 64 * 1024;
        const int chunks = 256;
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
            settings["ReverseProxy:Routes:chat21-messaging:MaxRequestBodySize"] = (64L * 1024 * 1024).ToString());
        var serviceGotBytes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Upstream.Handler = async context =>
        {
            long total = 0;
            var buffer = new byte[chunk];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
                serviceGotBytes.TrySetResult();
            }

            await context.Response.WriteAsync(total.ToString());
        };
        var body = new PushContent(async stream =>
        {
            var data = new byte[chunk];
            await stream.WriteAsync(data);
            await stream.FlushAsync();
            // Unless the gateway streams, the service sees nothing until the whole body is in: this would time out.
            await serviceGotBytes.Task.WaitAsync(Patience);
            for (var i = 1; i < chunks; i++)
            {
                await stream.WriteAsync(data);
            }
        });
        using var request = Post("/api/default/messages", body);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((chunk * (long)chunks).ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_response_without_content_length_is_relayed_whole()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c);
        var payload = new string('x', 300_000);
        gateway.Upstream.Handler = async context =>
        {
            for (var offset = 0; offset < payload.Length; offset += 10_000)
            {
                await context.Response.WriteAsync(payload.Substring(offset, 10_000));
                await context.Response.Body.FlushAsync();
            }
        };

        using var response = await gateway.Client.SendAsync(Get("/api/default/groups/g1"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(payload, await response.Content.ReadAsStringAsync());
    }

    internal static HttpRequestMessage Get(string target) => WithToken(new HttpRequestMessage(HttpMethod.Get, target));

    internal static HttpRequestMessage Post(string target, HttpContent content) =>
        WithToken(new HttpRequestMessage(HttpMethod.Post, target) { Content = content });

    private static HttpRequestMessage WithToken(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", TestTokens.ForUser());
        return request;
    }
}

public sealed class StreamingTestsOverHttp11() : StreamingTests(h2c: false);

public sealed class StreamingTestsOverH2c() : StreamingTests(h2c: true);
