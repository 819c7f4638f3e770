using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

/// <summary>
/// Easemob's REST errors: a snake_case code, a description, the Java exception name, a millisecond
/// timestamp and a duration, e.g. 401 <c>unauthorized</c> / "Unable to authenticate (OAuth)".
/// </summary>
internal sealed class EasemobDialect : ErrorDialect
{
    protected override Task WriteBodyAsync(HttpContext context, GatewayError error)
    {
        var (code, description, exception) = error switch
        {
            _ when error.IsAuthentication() => ("unauthorized", "Unable to authenticate (OAuth)", "EasemobSecurityException"),
            GatewayError.NotFound => ("service_resource_not_found", "Service resource not found", "ServiceResourceNotFoundException"),
            GatewayError.MethodNotAllowed => ("method_not_allowed", "Method not allowed", "UnsupportedServiceOperationException"),
            GatewayError.BadRequest => ("illegal_argument", "Request param error", "IllegalArgumentException"),
            GatewayError.PayloadTooLarge => ("request_entity_too_large", "Request entity too large", "RequestEntityTooLargeException"),
            _ => ("service_unavailable", error.Message(), "ServiceUnavailableException"),
        };
        var timestamp = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        return context.Response.WriteAsJsonAsync(
            new EasemobError(code, description, timestamp, 0, exception), ErrorJsonContext.Default.EasemobError);
    }
}

internal sealed record EasemobError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("duration")] int Duration,
    [property: JsonPropertyName("exception")] string Exception);
