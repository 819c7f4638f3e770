using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Chat.ServiceDefaults.Validation;

namespace Chat.Messaging.Features.Messages;

/// <summary>Validation of the values Chat21 clients send with a message.</summary>
internal static class MessageInput
{
    public const int MaxIdLength = 255;
    public const int MaxNameLength = 1024;
    public const int MaxTextLength = 65_536;

    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && !id.Any(c => char.IsControl(c) || c is '/' or '\\' or '?' or '#');

    /// <summary>Checks a full name; returns the error to answer, or null.</summary>
    public static string? NameError(string? name, string field) =>
        string.IsNullOrWhiteSpace(name) ? $"{field} is mandatory"
        : name.Length > MaxNameLength ? $"{field} is longer than {MaxNameLength} characters"
        : StoredText.HasNul(name) ? StoredText.NulError(field)
        : null;

    /// <summary>Checks the text against the type: a text message needs one, any text has a size limit.</summary>
    public static string? TextError(string? text, string type) =>
        type == MessageKind.Text && string.IsNullOrEmpty(text) ? "text is mandatory for text messages"
        : text is { Length: > MaxTextLength } ? $"text is longer than {MaxTextLength} characters"
        : StoredText.HasNul(text) ? StoredText.NulError("text")
        : null;

    public static string? ObjectError(JsonElement? value, string field) =>
        value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } ? $"{field} must be a JSON object"
        : value is { ValueKind: JsonValueKind.Object } json ? StoredText.JsonError(json, field)
        : null;

    /// <summary>An image is described by its metadata: <c>src</c>, <c>width</c> and <c>height</c>.</summary>
    public static string? ImageError(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } image
        && image.TryGetProperty("src", out var src) && src.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(src.GetString())
        && image.TryGetProperty("width", out var width) && width.ValueKind == JsonValueKind.Number
        && image.TryGetProperty("height", out var height) && height.ValueKind == JsonValueKind.Number
            ? null
            : "metadata with src, width and height is mandatory for image messages";
}
