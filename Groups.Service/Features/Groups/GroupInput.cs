using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Chat.ServiceDefaults.Validation;

namespace Chat.Groups.Features.Groups;

/// <summary>Validation of the values Chat21 clients send for groups.</summary>
internal static class GroupInput
{
    public const int MaxIdLength = 255;
    public const int MaxNameLength = 1024;
    public const int MaxMembers = 10_000;

    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && !id.Any(c => char.IsControl(c) || c is '/' or '\\' or '?' or '#');

    /// <summary>Checks a name; returns the error to answer, or null.</summary>
    public static string? NameError(string? name, string field = "group_name") =>
        string.IsNullOrWhiteSpace(name) ? $"{field} is mandatory"
        : name.Length > MaxNameLength ? $"{field} is longer than {MaxNameLength} characters"
        : StoredText.HasNul(name) ? StoredText.NulError(field)
        : null;

    /// <summary>
    /// Reads a member set: Chat21's object form <c>{"id":1,...}</c>, or a JSON array of ids (the seed's
    /// own example is not valid JSON; both readings of what it means are accepted).
    /// </summary>
    public static bool TryReadMembers(JsonElement? value, string field, out List<string> members, out string? error)
    {
        members = [];
        error = null;
        IEnumerable<string?> ids;
        switch (value)
        {
            // Keys and ids are read as .NET strings only once they are known to be text PostgreSQL can store.
            case { ValueKind: JsonValueKind.Object or JsonValueKind.Array } listed when StoredText.JsonError(listed, field) is { } textError:
                error = textError;
                return false;
            case { ValueKind: JsonValueKind.Object } obj:
                ids = obj.EnumerateObject().Select(p => p.Name);
                break;
            case { ValueKind: JsonValueKind.Array } array when array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                ids = array.EnumerateArray().Select(e => e.GetString());
                break;
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                error = $"{field} is mandatory";
                return false;
            default:
                error = $"{field} must be an object like {{\"<member_id>\":1}} or an array of member ids";
                return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!IsValidId(id))
            {
                error = $"{field} contains an invalid member id";
                return false;
            }

            if (seen.Add(id))
            {
                members.Add(id);
            }
        }

        if (members.Count > MaxMembers)
        {
            error = $"{field} has more than {MaxMembers} members";
            return false;
        }

        return true;
    }

    /// <summary>Attributes, when given, are a JSON object PostgreSQL can store.</summary>
    public static string? AttributesError(JsonElement? attributes) =>
        attributes is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } ? "attributes must be a JSON object"
        : attributes is { ValueKind: JsonValueKind.Object } json ? StoredText.JsonError(json, "attributes")
        : null;

    public static string? AttributesJson(JsonElement? attributes) =>
        attributes is { ValueKind: JsonValueKind.Object } obj ? obj.GetRawText() : null;
}
