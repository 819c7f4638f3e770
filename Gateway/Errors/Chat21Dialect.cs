using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

/// <summary>Chat21's own server answers errors as <c>{"success": false, "err": "..."}</c>.</summary>
internal sealed class Chat21Dialect : ErrorDialect
{
    protected override Task WriteBodyAsync(HttpContext context, GatewayError error) =>
        context.Response.WriteAsJsonAsync(new Chat21Error(false, error.Message()), ErrorJsonContext.Default.Chat21Error);
}

internal sealed record Chat21Error(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("err")] string Err);
