using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chat.ServiceDefaults.Identity;

namespace Chat.Benchmarks.Requests;

/// <summary>Mints the HS256 JWT a tenant's backend would issue (SPEC §3, token kind 1); an admin's carries <c>"roles":"admin"</c>.</summary>
public static class ChatJwt
{
    public static string Mint(string secret, BenchmarkUser user, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(Claims(user, now, lifetime));
        var signingInput = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signingInput);
        return header + "." + payload + "." + Base64Url.EncodeToString(signature);
    }

    private static ReadOnlySpan<byte> Claims(BenchmarkUser user, DateTimeOffset now, TimeSpan lifetime)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sub", user.UserId);
            json.WriteString("app_id", user.AppId);
            json.WriteString("name", user.Name);
            if (user.IsAdmin)
            {
                json.WriteString("roles", Role.Admin);
            }

            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            json.WriteEndObject();
        }

        return buffer.WrittenSpan;
    }
}
