using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

/// <summary>The OpenAI API's <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed class OpenAiDialect : ErrorDialect
{
    protected override Task WriteBodyAsync(HttpContext context, GatewayError error)
    {
        var (type, code) = error switch
        {
            GatewayError.MissingToken => ("invalid_request_error", null),
            _ when error.IsAuthentication() => ("invalid_request_error", "invalid_api_key"),
            GatewayError.NotFound => ("invalid_request_error", "unknown_url"),
            GatewayError.BadGateway or GatewayError.GatewayTimeout => ("server_error", null),
            _ => ("invalid_request_error", (string?)null),
        };
        return context.Response.WriteAsJsonAsync(
            new OpenAiError(new OpenAiErrorBody(error.Message(), type, null, code)), ErrorJsonContext.Default.OpenAiError);
    }
}

internal sealed record OpenAiError([property: JsonPropertyName("error")] OpenAiErrorBody Error);

internal sealed record OpenAiErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
