using Chat.Gateway.Errors;
using Chat.Gateway.Routing;

namespace Chat.Gateway.Authentication;

/// <summary>
/// Runs the validators of the kinds a route accepts, then checks that the token's app is the app the path
/// names (SPEC §3: the path's app must equal the token's app).
/// </summary>
internal static class GatewayAuthenticator
{
    public static async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, RouteMatch match)
    {
        var route = match.Route;
        if (route.AcceptsAnonymous)
        {
            return AuthenticationResult.Anonymous;
        }

        var credential = CredentialReader.Read(context.Request);
        if (credential.IsEmpty)
        {
            return AuthenticationResult.Failed(GatewayError.MissingToken);
        }

        GatewayError? rejection = null;
        foreach (var validator in route.Validators)
        {
            var validation = await validator.ValidateAsync(credential, context.RequestAborted);
            if (validation.Outcome == TokenOutcome.Valid)
            {
                return BelongsToPathApp(validation.Caller!, match)
                    ? AuthenticationResult.Authenticated(validation.Caller!)
                    : AuthenticationResult.Failed(GatewayError.AppMismatch);
            }

            if (validation.Outcome == TokenOutcome.Rejected)
            {
                rejection ??= validation.Error;
            }
        }

        return AuthenticationResult.Failed(rejection ?? GatewayError.InvalidToken);
    }

    private static bool BelongsToPathApp(AuthenticatedCaller caller, RouteMatch match) =>
        (match.AppId.IsEmpty || match.AppId.Span.SequenceEqual(caller.Identity.AppId))
        && (match.OrgName.IsEmpty || match.OrgName.Span.SequenceEqual(caller.OrgName));
}

internal readonly record struct AuthenticationResult(bool Succeeded, AuthenticatedCaller? Caller, GatewayError Error)
{
    public static AuthenticationResult Anonymous => new(true, null, default);

    public static AuthenticationResult Authenticated(AuthenticatedCaller caller) => new(true, caller, default);

    public static AuthenticationResult Failed(GatewayError error) => new(false, null, error);
}
