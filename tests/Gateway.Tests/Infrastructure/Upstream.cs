using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 standing in for a service; each test sets its handler.</summary>
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
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new Upstream(name, app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastHeaders = new HeaderDictionary(context.Request.Headers.ToDictionary(header => header.Key, header => header.Value));
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
    public static async Task<Echo> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
}
