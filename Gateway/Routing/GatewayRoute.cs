using Chat.Gateway.Authentication;
using Chat.Gateway.Errors;

namespace Chat.Gateway.Routing;

/// <summary>A configured route, compiled: everything the request path needs is precomputed.</summary>
internal sealed class GatewayRoute
{
    public required string Id { get; init; }

    public required RouteTemplate Template { get; init; }

    /// <summary>Empty: any method.</summary>
    public required string[] Methods { get; init; }

    public required int Order { get; init; }

    public required Cluster Cluster { get; init; }

    /// <summary>The token kinds the route names, implemented or not.</summary>
    public required string[] AuthKinds { get; init; }

    /// <summary>The validators of the kinds that have one, in the route's order.</summary>
    public required ITokenValidator[] Validators { get; init; }

    public required ErrorDialect Dialect { get; init; }

    public required long? MaxRequestBodySize { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required TimeSpan IdleTimeout { get; init; }

    public bool AcceptsAnonymous => AuthKinds.Length == 0;

    public bool AllowsMethod(string method)
    {
        if (Methods.Length == 0)
        {
            return true;
        }

        foreach (var allowed in Methods)
        {
            if (HttpMethods.Equals(allowed, method))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A matched route and the tenant its path names (empty when the path names none).</summary>
internal readonly record struct RouteMatch(GatewayRoute Route, ReadOnlyMemory<char> AppId, ReadOnlyMemory<char> OrgName);
