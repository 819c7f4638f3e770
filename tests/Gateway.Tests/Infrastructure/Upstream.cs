using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for a service, on an HTTP/1.1 port and an HTTP/2-only (h2c) one as the
/// AppHost's services have; each test sets its handler.
/// </summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private Upstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
        Handler = EchoAsync;
    }

    public string Name { get; }

    public string Address { get; private set; } = "";

    /// <summary>The HTTP/2-without-TLS endpoint.</summary>
    public string H2cAddress { get; private set; } = "";

    /// <summary>The protocol of the last request, as the service saw it (<c>HTTP/1.1</c>, <c>HTTP/2</c>).</summary>
    public string? LastProtocol { get; private set; }

    /// <summary>What the next requests get; by default an echo of what arrived.</summary>
    public Func<HttpContext, Task> Handler { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The headers of the last request, as the service saw them.</summary>
    public IHeaderDictionary? LastHeaders { get; private set; }

    public static async Task<Upstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new Upstream(name, app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var addresses = app.Urls.ToArray();
        (upstream.Address, upstream.H2cAddress) = (addresses[0], addresses[1]);
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastProtocol = context.Request.Protocol;
        LastHeaders = new HeaderDictionary(
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase));
        context.Response.Headers["X-Upstream"] = Name;
        return Handler(context);
    }

    /// <summary>Answers what arrived: method, path and query, headers, and how many body bytes.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        long length = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            length += read;
        }

        await context.Response.WriteAsJsonAsync(new Echo(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            length));
    }
}

public sealed record Echo(string Method, string Target, Dictionary<string, string> Headers, long BodyLength)
{
    /// <summary>Header names as the service saw them, found whatever their case (HTTP/2 sends them in lower case).</summary>
    public Dictionary<string, string> Headers { get; init; } = new(Headers, StringComparer.OrdinalIgnoreCase);

    public static async Task<Echo> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
}
