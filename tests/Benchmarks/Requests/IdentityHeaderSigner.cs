using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chat.Benchmarks.Requests;

/// <summary>
/// Reproduces <c>Chat.ServiceDefaults.Identity.IdentityHeaders.Write</c> so the benchmark can call a service
/// directly, the way the gateway does. Copied rather than referenced: ServiceDefaults pulls in the data, bus
/// and telemetry stacks, which a load generator should not load. Keep the two in step.
/// </summary>
public static class IdentityHeaderSigner
{
    public const string TokenKind = "jwt";

    public static IReadOnlyList<HttpHeader> Sign(BenchmarkUser user, byte[] key, DateTimeOffset now)
    {
        const string roles = "";
        var name = Uri.EscapeDataString(user.Name);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', user.AppId, user.UserId, name, roles, TokenKind, timestamp));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, payload));
        return
        [
            new("X-Chat-App", user.AppId),
            new("X-Chat-User", user.UserId),
            new("X-Chat-User-Name", name),
            new("X-Chat-Roles", roles),
            new("X-Chat-Token-Kind", TokenKind),
            new("X-Chat-Timestamp", timestamp),
            new("X-Chat-Signature", signature),
        ];
    }
}
