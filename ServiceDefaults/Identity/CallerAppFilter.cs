using Chat.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace Chat.ServiceDefaults.Identity;

/// <summary>
/// Keeps a caller inside its own app: a route's <c>{app_id}</c> must be the caller's app, or the
/// answer is the same 404 a missing object gets, so other tenants' data is never even confirmed.
/// </summary>
public sealed class CallerAppFilter : IEndpointFilter
{
    public const string RouteValue = "app_id";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = http.Features.Get<CallerIdentity>();
        if (caller is null || !string.Equals(http.Request.RouteValues[RouteValue] as string, caller.AppId, StringComparison.Ordinal))
        {
            return new DialectError(StatusCodes.Status404NotFound, "Not found");
        }

        return await next(context);
    }
}
