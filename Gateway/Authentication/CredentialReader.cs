namespace Chat.Gateway.Authentication;

/// <summary>
/// Finds the token the way Chat21 clients send it: <c>Authorization: JWT &lt;t&gt;</c>, <c>Bearer &lt;t&gt;</c> or the
/// bare token; without that header, the <c>token</c>, <c>jwt</c> or <c>JWT</c> query parameter.
/// </summary>
internal static class CredentialReader
{
    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            return FromAuthorization(authorization.ToString());
        }

        if (!request.QueryString.HasValue)
        {
            return null;
        }

        var query = request.Query;
        var token = query["token"];
        if (token.Count == 0)
        {
            // Query keys compare case-insensitively, so this covers ?JWT= as well.
            token = query["jwt"];
        }

        return token.Count == 1 && !string.IsNullOrWhiteSpace(token[0]) ? token[0]!.Trim() : null;
    }

    private static string? FromAuthorization(string value)
    {
        var span = value.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return null;
        }

        var space = span.IndexOf(' ');
        if (space < 0)
        {
            return span.Length == value.Length ? value : span.ToString();
        }

        var scheme = span[..space];
        if (scheme.Equals("JWT", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var token = span[(space + 1)..].Trim();
            return token.IsEmpty ? null : token.ToString();
        }

        // An unknown scheme is still a credential, so the caller hears "Invalid token", not "missing".
        return span.ToString();
    }
}
