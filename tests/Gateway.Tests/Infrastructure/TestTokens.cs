using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Chat.Gateway.Tests.Infrastructure;

/// <summary>Hand-made JWTs, so tests can also make the malformed and hostile ones.</summary>
public static class TestTokens
{
    public static string ForUser(
        string subject = "user-1",
        string app = "default",
        string secret = GatewayHost.DefaultSecret,
        TimeSpan? expiresIn = null,
        string? name = null,
        object? roles = null,
        string rolesClaim = "roles")
    {
        var payload = new Dictionary<string, object?>
        {
            ["sub"] = subject,
            ["app_id"] = app,
            ["exp"] = DateTimeOffset.UtcNow.Add(expiresIn ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
        };
        if (name is not null)
        {
            payload["name"] = name;
        }

        if (roles is not null)
        {
            payload[rolesClaim] = roles;
        }

        return Sign(new { alg = "HS256", typ = "JWT" }, payload, secret);
    }

    /// <summary>A JWS with any header and payload; HS256/HS512 are really computed, anything else is signed with HS256.</summary>
    public static string Sign(object header, object payload, string secret, string algorithm = "HS256") =>
        SignRawHeader(JsonSerializer.Serialize(header), payload, secret, algorithm);

    /// <summary>A JWS whose header is exactly <paramref name="headerJson"/> (duplicate members included).</summary>
    public static string SignRawHeader(string headerJson, object payload, string secret, string algorithm = "HS256")
    {
        var signingInput = Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm == "HS512" ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
        return signingInput + "." + Encode(signature);
    }

    public static string WithAlgorithmNone(object payload) =>
        Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT" })) + "."
        + Encode(JsonSerializer.SerializeToUtf8Bytes(payload)) + ".";

    public static object Claims(string app = "default", string subject = "user-1", TimeSpan? expiresIn = null) => new Dictionary<string, object>
    {
        ["sub"] = subject,
        ["app_id"] = app,
        ["exp"] = DateTimeOffset.UtcNow.Add(expiresIn ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
    };

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
