using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace Chat.TestInfrastructure;

/// <summary>Secrets and credentials tests use: the gateway's signing key, tenants' JWT secrets, callers.</summary>
public static class TestIdentity
{
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789";
    public const string DefaultJwtSecret = "test-default-jwt-secret-0123456789abcdef";

    /// <summary>A new tenant id, so every test works in an app of its own.</summary>
    public static string NewAppId() => $"t{Guid.NewGuid():N}"[..16];

    public static CallerIdentity User(string appId, string userId, string? name = null) =>
        new(appId, userId, name ?? userId, [Role.User], TokenKind.Jwt);

    public static CallerIdentity Admin(string appId, string userId = "admin") =>
        new(appId, userId, userId, [Role.Admin], TokenKind.Jwt);

    /// <summary>A Chat21-style HS256 JWT.</summary>
    public static string Jwt(string secret, string appId, string userId, TimeSpan? lifetime = null, string[]? roles = null, string? name = null)
    {
        var now = DateTimeOffset.UtcNow;
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["app_id"] = appId,
            ["name"] = name ?? userId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
        };
        if (roles is not null)
        {
            claims["roles"] = roles;
        }

        var unsigned = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Base64Url(signature)}";
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Signs every request as <paramref name="caller"/>, as the gateway would.</summary>
    public static void SignAs(this HttpRequestHeaders headers, CallerIdentity caller)
    {
        var signed = new HeaderDictionary();
        IdentityHeaders.Write(signed, caller, Encoding.UTF8.GetBytes(SigningKey), DateTimeOffset.UtcNow);
        foreach (var (name, value) in signed)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value.ToString());
        }
    }
}
