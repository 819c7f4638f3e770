using System.Text.Json;

namespace Chat.ServiceDefaults.Validation;

/// <summary>
/// What PostgreSQL can keep as sent: text and JSON without the NUL character (U+0000), which it refuses in both. Values
/// are checked on the way in so such input is a 400, not a failed write.
/// </summary>
public static class StoredText
{
    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    /// <summary>Whether a name or string anywhere in <paramref name="json"/> holds U+0000 (which JSON can only spell <c>\u0000</c>).</summary>
    public static bool HasNul(JsonElement json) =>
        json.GetRawText().Contains("u0000", StringComparison.OrdinalIgnoreCase) && AnyNul(json);

    /// <summary>The error to answer for <paramref name="field"/> holding U+0000.</summary>
    public static string NulError(string field) => $"{field} must not contain the NUL character (U+0000)";

    private static bool AnyNul(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().Any(property => HasNul(property.Name) || AnyNul(property.Value)),
        JsonValueKind.Array => json.EnumerateArray().Any(AnyNul),
        JsonValueKind.String => HasNul(json.GetString()),
        _ => false,
    };
}
