using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

/// <summary>The AI chat API (seed 002) answers errors as <c>{"success": false, "message": "..."}</c>.</summary>
internal sealed class AiChatDialect : ErrorDialect
{
    protected override Task WriteBodyAsync(HttpContext context, GatewayError error) =>
        context.Response.WriteAsJsonAsync(new AiChatError(false, error.Message()), ErrorJsonContext.Default.AiChatError);
}

internal sealed record AiChatError(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message);
