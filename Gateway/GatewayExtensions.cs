using Chat.Gateway.Authentication;
using Chat.Gateway.Forwarding;
using Chat.Gateway.Identity;
using Chat.Gateway.Routing;
using Chat.Gateway.Tenancy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
