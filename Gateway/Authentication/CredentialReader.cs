namespace Chat.Gateway.Authentication;

/// <summary>
/// Finds the token the way Chat21 clients send it: <c>Authorization: JWT &lt;t&gt;</c>, <c>Bearer &lt;t&gt;</c> or the
/// bare token; without that header, the <c>token</c>, <c>jwt</c> or <c>JWT</c> query parameter. The token is
/// a slice of the header value: no string is made for it on the request path.
/// </summary>
internal static class CredentialReader
{
    public static ReadOnlyMemory<char> Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            return FromAuthorization(authorization.ToString());
        }

        if (!request.QueryString.HasValue)
        {
            return default;
        }

        var query = request.Query;
        var token = query["token"];
        if (token.Count == 0)
        {
            // Query keys compare case-insensitively, so this covers ?JWT= as well.
            token = query["jwt"];
        }

        return token.Count == 1 && token[0] is { } value ? value.AsMemory().Trim() : default;
    }

    private static ReadOnlyMemory<char> FromAuthorization(string value)
    {
        var header = value.AsMemory().Trim();
        var space = header.Span.IndexOf(' ');
        if (space < 0)
        {
            return header;
        }

        var scheme = header.Span[..space];
        if (scheme.Equals("JWT", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return header[(space + 1)..].Trim();
        }

        // An unknown scheme is still a credential, so the caller hears "Invalid token", not "missing".
        return header;
    }
}
