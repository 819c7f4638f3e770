using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Chat.ServiceDefaults.Identity;

/// <summary>
/// The signed identity headers the gateway sends to services. The signature is HMAC-SHA256 over the
/// header values and a timestamp, keyed by <c>Identity:SigningKey</c>, so a service port reached
/// without the gateway grants nothing.
/// </summary>
public static class IdentityHeaders
{
    public const string Prefix = "X-Chat-";
    public const string App = "X-Chat-App";
    public const string User = "X-Chat-User";
    public const string UserName = "X-Chat-User-Name";
    public const string Roles = "X-Chat-Roles";
    public const string Kind = "X-Chat-Token-Kind";
    public const string Timestamp = "X-Chat-Timestamp";
    public const string Signature = "X-Chat-Signature";

    /// <summary>How far a signature's timestamp may be from now before it is refused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(2);

    /// <summary>Writes the identity and its signature; user names are percent-encoded to stay ASCII.</summary>
    public static void Write(IHeaderDictionary headers, CallerIdentity identity, byte[] key, DateTimeOffset now)
    {
        var roles = string.Join(',', identity.Roles);
        var name = identity.UserName is null ? "" : Uri.EscapeDataString(identity.UserName);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers[App] = identity.AppId;
        headers[User] = identity.UserId;
        headers[UserName] = name;
        headers[Roles] = roles;
        headers[Kind] = identity.TokenKind;
        headers[Timestamp] = timestamp;
        headers[Signature] = Sign(key, identity.AppId, identity.UserId, name, roles, identity.TokenKind, timestamp);
    }

    /// <summary>Reads and verifies the identity; null when absent, unsigned, tampered or stale.</summary>
    public static CallerIdentity? Read(IHeaderDictionary headers, byte[] key, DateTimeOffset now)
    {
        string app = headers[App].ToString(), user = headers[User].ToString(), name = headers[UserName].ToString(),
            roles = headers[Roles].ToString(), kind = headers[Kind].ToString(), timestamp = headers[Timestamp].ToString(),
            signature = headers[Signature].ToString();
        if (app.Length == 0 || user.Length == 0 || signature.Length == 0
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        // Compared as numbers: a timestamp in milliseconds or beyond year 9999 is stale, not a date that can't be built.
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)MaxAge.TotalSeconds)
        {
            return null;
        }

        var expected = Sign(key, app, user, name, roles, kind, timestamp);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return new CallerIdentity(
            app,
            user,
            name.Length == 0 ? null : Uri.UnescapeDataString(name),
            roles.Length == 0 ? [] : roles.Split(',', StringSplitOptions.RemoveEmptyEntries),
            kind);
    }

    /// <summary>Removes every incoming <c>X-Chat-*</c> header so a client can't smuggle an identity.</summary>
    public static void Strip(IHeaderDictionary headers)
    {
        List<string>? doomed = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                (doomed ??= []).Add(header.Key);
            }
        }

        doomed?.ForEach(name => headers.Remove(name));
    }

    private static string Sign(byte[] key, string app, string user, string name, string roles, string kind, string timestamp)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', app, user, name, roles, kind, timestamp));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, payload, mac);
        return Convert.ToBase64String(mac);
    }
}
