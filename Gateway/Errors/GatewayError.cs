namespace Chat.Gateway.Errors;

/// <summary>What the gateway itself refuses or fails with, before or instead of a service's answer.</summary>
internal enum GatewayError
{
    MissingToken,
    InvalidToken,
    TokenExpired,
    AppMismatch,
    NotFound,
    MethodNotAllowed,
    BadRequest,
    PayloadTooLarge,
    BadGateway,
    GatewayTimeout,
}

internal static class GatewayErrors
{
    public static int StatusCode(this GatewayError error) => error switch
    {
        GatewayError.MissingToken or GatewayError.InvalidToken or GatewayError.TokenExpired or GatewayError.AppMismatch
            => StatusCodes.Status401Unauthorized,
        GatewayError.NotFound => StatusCodes.Status404NotFound,
        GatewayError.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        GatewayError.BadRequest => StatusCodes.Status400BadRequest,
        GatewayError.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        GatewayError.BadGateway => StatusCodes.Status502BadGateway,
        GatewayError.GatewayTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The plain message most dialects carry; it never says whether another tenant or object exists.</summary>
    public static string Message(this GatewayError error) => error switch
    {
        GatewayError.MissingToken => "Missing authorization token",
        GatewayError.InvalidToken => "Invalid token",
        GatewayError.TokenExpired => "Token expired",
        GatewayError.AppMismatch => "Token app does not match",
        GatewayError.NotFound => "Not found",
        GatewayError.MethodNotAllowed => "Method not allowed",
        GatewayError.BadRequest => "Bad request",
        GatewayError.PayloadTooLarge => "Request body too large",
        GatewayError.BadGateway => "Service unavailable",
        GatewayError.GatewayTimeout => "Service timed out",
        _ => "Internal error",
    };

    public static bool IsAuthentication(this GatewayError error) =>
        error.StatusCode() == StatusCodes.Status401Unauthorized;
}
