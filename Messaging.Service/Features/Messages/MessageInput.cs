using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

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
        : name.Contains('\0') ? NulError(field)
        : null;

    /// <summary>Checks the text against the type: a text message needs one, any text has a size limit.</summary>
    public static string? TextError(string? text, string type) =>
        type == MessageKind.Text && string.IsNullOrEmpty(text) ? "text is mandatory for text messages"
        : text is { Length: > MaxTextLength } ? $"text is longer than {MaxTextLength} characters"
        : text is not null && text.Contains('\0') ? NulError("text")
        : null;

    public static string? ObjectError(JsonElement? value, string field) =>
        value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } ? $"{field} must be a JSON object"
        : value is { ValueKind: JsonValueKind.Object } json && ContainsNul(json) ? NulError(field)
        : null;

    /// <summary>Whether a name or string anywhere in <paramref name="json"/> holds U+0000 (which JSON can only spell <c>\u0000</c>).</summary>
    private static bool ContainsNul(JsonElement json) =>
        json.GetRawText().Contains("u0000", StringComparison.OrdinalIgnoreCase) && HasNul(json);

    private static bool HasNul(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().Any(property => property.Name.Contains('\0') || HasNul(property.Value)),
        JsonValueKind.Array => json.EnumerateArray().Any(HasNul),
        JsonValueKind.String => json.GetString()!.Contains('\0'),
        _ => false,
    };

    /// <summary>PostgreSQL stores no NUL character in text or JSON, so a value with one can't be kept as sent.</summary>
    private static string NulError(string field) => $"{field} must not contain the NUL character (U+0000)";

    /// <summary>An image is described by its metadata: <c>src</c>, <c>width</c> and <c>height</c>.</summary>
    public static string? ImageError(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } image
        && image.TryGetProperty("src", out var src) && src.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(src.GetString())
        && image.TryGetProperty("width", out var width) && width.ValueKind == JsonValueKind.Number
        && image.TryGetProperty("height", out var height) && height.ValueKind == JsonValueKind.Number
            ? null
            : "metadata with src, width and height is mandatory for image messages";
}
