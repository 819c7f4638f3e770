using Chat.Gateway.Authentication;
using Chat.Gateway.Forwarding;
using Chat.Gateway.Identity;
using Chat.Gateway.Routing;
using Chat.Gateway.Tenancy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chat.Gateway;

public static class GatewayExtensions
{
    /// <summary>Registers routing, authentication, tenancy and the forwarder, and tunes Kestrel for proxying.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        // Socket continuations already run inline on the I/O threads (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS, set by
        // the AppHost); this lets Kestrel run its reads and the request on them too instead of queueing each to the thread
        // pool. Nothing on the gateway's request path blocks.
        // Kestrel also reads each request straight into a buffer instead of first waiting for data with a zero-byte read:
        // one system call less per request, for a pooled buffer held by each idle connection.
        services.Configure<SocketTransportOptions>(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = true;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
        services.TryAddSingleton(TimeProvider.System);

        services.Configure<AppsOptions>(builder.Configuration.GetSection("Apps"));
        services.AddSingleton<IAppDirectory, ConfiguredAppDirectory>();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<ITokenValidator, JwtTokenValidator>();

        services.Configure<ReverseProxyOptions>(builder.Configuration.GetSection("ReverseProxy"));
        services.AddSingleton(provider => RouteTable.Build(
            provider.GetRequiredService<IOptions<ReverseProxyOptions>>().Value,
            provider.GetRequiredService<IConfiguration>(),
            provider.GetServices<ITokenValidator>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<RouteTable>()));
        services.AddHostedService<DestinationRefresh>();
        services.AddSingleton(provider => IdentitySigningKey.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ForwardedIdentity>();
        services.AddSingleton(_ => ForwarderHttpClient.Create());
        services.AddSingleton<HttpForwarder>();
        return builder;
    }

    /// <summary>
    /// Routes every request no gateway endpoint matched to its service. Configuration errors (routes,
    /// clusters, apps, signing key) fail here, at startup, not on the first request.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<RouteTable>();
        _ = app.Services.GetRequiredService<IAppDirectory>();
        _ = app.Services.GetRequiredService<IdentitySigningKey>();
        app.UseMiddleware<GatewayMiddleware>();
        return app;
    }
}
