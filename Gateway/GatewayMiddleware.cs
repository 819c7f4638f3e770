using Chat.Gateway.Authentication;
using Chat.Gateway.Errors;
using Chat.Gateway.Forwarding;
using Chat.Gateway.Identity;
using Chat.Gateway.Routing;

namespace Chat.Gateway;

/// <summary>
/// The gateway's request path: match a route → authenticate with the kinds it accepts → forward with
/// the signed, verified identity in place of any <c>X-Chat-*</c> header the client sent. Requests that
/// an endpoint of the gateway itself matched (health probes) pass through untouched.
/// </summary>
internal sealed class GatewayMiddleware(
    RequestDelegate next, RouteTable routes, HttpForwarder forwarder, ForwardedIdentity forwardedIdentity)
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

        var identity = authentication.Caller is { } caller ? forwardedIdentity.HeadersFor(caller) : [];
        await forwarder.ForwardAsync(context, match.Route, identity);
    }
}
