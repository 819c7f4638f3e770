using Chat.Gateway.Authentication;
using Chat.Gateway.Errors;
using Chat.Gateway.Forwarding;
using Chat.Gateway.Routing;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway;

/// <summary>
/// The gateway's request path: match a route → authenticate with the kinds it accepts → replace any
/// client-sent identity with the signed, verified one → forward. Requests that an endpoint of the gateway
/// itself matched (health probes) pass through untouched.
/// </summary>
internal sealed class GatewayMiddleware(
    RequestDelegate next, RouteTable routes, HttpForwarder forwarder, IdentitySigningKey signingKey, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not null)
        {
            return next(context);
        }

        var path = context.Request.Path.Value is { Length: > 0 } value ? value : "/";
        if (routes.Match(context.Request.Method, path, out var pathOnly) is not { } match)
        {
            return pathOnly is null
                ? RouteTable.DialectForUnmatched(path).WriteAsync(context, GatewayError.NotFound)
                : pathOnly.Dialect.WriteAsync(context, GatewayError.MethodNotAllowed);
        }

        return AuthenticateAndForwardAsync(context, match);
    }

    private async Task AuthenticateAndForwardAsync(HttpContext context, RouteMatch match)
    {
        var authentication = await GatewayAuthenticator.AuthenticateAsync(context, match);
        if (!authentication.Succeeded)
        {
            await match.Route.Dialect.WriteAsync(context, authentication.Error);
            return;
        }

        var headers = context.Request.Headers;
        IdentityHeaders.Strip(headers);
        if (authentication.Caller is { } caller)
        {
            IdentityHeaders.Write(headers, caller.Identity, signingKey.Bytes, time.GetUtcNow());
        }

        await forwarder.ForwardAsync(context, match.Route);
    }
}

/// <summary>The key that signs forwarded identities: <c>Identity:SigningKey</c> as UTF-8 bytes.</summary>
internal sealed class IdentitySigningKey(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public static IdentitySigningKey FromConfiguration(IConfiguration configuration) =>
        configuration["Identity:SigningKey"] is { Length: > 0 } key
            ? new IdentitySigningKey(System.Text.Encoding.UTF8.GetBytes(key))
            : throw new InvalidOperationException("Identity:SigningKey is required: it signs the identity the gateway forwards.");
}
