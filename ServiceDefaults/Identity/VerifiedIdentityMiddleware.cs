using System.Text;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Chat.ServiceDefaults.Identity;

/// <summary>
/// Accepts a caller only with the gateway's valid signature over the <c>X-Chat-*</c> headers; anything
/// else (a service port reached directly, a forged or stale header set) gets 401. Health endpoints
/// stay open for probes.
/// </summary>
public sealed class VerifiedIdentityMiddleware(RequestDelegate next, IConfiguration configuration, TimeProvider clock)
{
    private readonly byte[] key = Encoding.UTF8.GetBytes(configuration[SigningKeyName]
        ?? throw new InvalidOperationException($"{SigningKeyName} is not configured."));

    public const string SigningKeyName = "Identity:SigningKey";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(DefaultEndpoints.HealthPath) || path.StartsWithSegments(DefaultEndpoints.AlivePath))
        {
            return next(context);
        }

        var caller = IdentityHeaders.Read(context.Request.Headers, key, clock.GetUtcNow());
        if (caller is null)
        {
            return JsonBody.Status(StatusCodes.Status401Unauthorized, new Chat21Error(false, "Unauthorized: requests must come through the gateway"))
                .ExecuteAsync(context);
        }

        context.Features.Set(caller);
        return next(context);
    }
}
