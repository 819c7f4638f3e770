using System.Collections.Frozen;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// Headers that describe one connection, not the message, so a proxy never passes them on (RFC 9110
/// §7.6.1): the standard hop-by-hop set, every <c>Proxy-*</c> header, and any header the <c>Connection</c>
/// header names.
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Standard = new[]
    {
        "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "HTTP2-Settings", "Close",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StandardBySpan =
        Standard.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsHopByHop(string name) =>
        Standard.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a <c>Connection</c> header value (comma-separated names) lists <paramref name="name"/>.</summary>
    public static bool IsListedIn(string? connection, string name)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return false;
        }

        foreach (var range in connection.AsSpan().Split(','))
        {
            if (connection.AsSpan(range).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>Connection</c> value when it names more than the usual keep-alive/close/upgrade, else null.</summary>
    public static string? ExtraConnectionTokens(string? connection)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return null;
        }

        foreach (var range in connection.AsSpan().Split(','))
        {
            var token = connection.AsSpan(range).Trim();
            if (token.Length > 0 && !StandardBySpan.Contains(token))
            {
                return connection;
            }
        }

        return null;
    }
}
