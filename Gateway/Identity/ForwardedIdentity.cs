using System.Text;
using Chat.Gateway.Authentication;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway.Identity;

/// <summary>
/// The identity headers a verified caller's requests carry to services, signed with
/// <see cref="IdentityHeaders.Write"/>. The signature covers a timestamp in whole seconds, so a caller's
/// headers are signed once a second and reused in between instead of computing an HMAC per request.
/// </summary>
internal sealed class ForwardedIdentity(IdentitySigningKey signingKey, TimeProvider time)
{
    public KeyValuePair<string, string>[] HeadersFor(AuthenticatedCaller caller)
    {
        var now = time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        if (caller.Signed is { } signed && signed.Second == second)
        {
            return signed.Headers;
        }

        var written = new HeaderDictionary();
        IdentityHeaders.Write(written, caller.Identity, signingKey.Bytes, now);
        var headers = new KeyValuePair<string, string>[written.Count];
        var i = 0;
        foreach (var (name, value) in written)
        {
            headers[i++] = new KeyValuePair<string, string>(name, value.ToString());
        }

        caller.Signed = new SignedIdentityHeaders(second, headers);
        return headers;
    }
}

/// <summary>Identity headers signed at <see cref="Second"/> (Unix time).</summary>
internal sealed record SignedIdentityHeaders(long Second, KeyValuePair<string, string>[] Headers);

/// <summary>The key that signs forwarded identities: <c>Identity:SigningKey</c> as UTF-8 bytes.</summary>
internal sealed class IdentitySigningKey(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public static IdentitySigningKey FromConfiguration(IConfiguration configuration) =>
        configuration["Identity:SigningKey"] is { Length: > 0 } key
            ? new IdentitySigningKey(Encoding.UTF8.GetBytes(key))
            : throw new InvalidOperationException("Identity:SigningKey is required: it signs the identity the gateway forwards.");
}
