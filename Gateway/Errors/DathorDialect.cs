using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

/// <summary>
/// Dathor v8 answers <c>{"error": "..."}</c>, except authentication, which it reports in the OpenAI
/// shape: missing bearer, and <c>invalid_api_key</c> for a bad token.
/// </summary>
internal sealed class DathorDialect : ErrorDialect
{
    protected override Task WriteBodyAsync(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        return error switch
        {
            GatewayError.MissingToken => response.WriteAsJsonAsync(
                new OpenAiError(new OpenAiErrorBody("Missing bearer authentication in header", "invalid_request_error", null, null)),
                ErrorJsonContext.Default.OpenAiError),
            _ when error.IsAuthentication() => response.WriteAsJsonAsync(
                new OpenAiError(new OpenAiErrorBody("Invalid token", "invalid_request_error", null, "invalid_api_key")),
                ErrorJsonContext.Default.OpenAiError),
            _ => response.WriteAsJsonAsync(new DathorError(error.Message()), ErrorJsonContext.Default.DathorError),
        };
    }
}

internal sealed record DathorError([property: JsonPropertyName("error")] string Error);
