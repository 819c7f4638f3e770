using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace Chat.Benchmarks.Requests;

/// <summary>The user a benchmark acts as: a JWT for the gateway, signed identity headers for a service.</summary>
public sealed record BenchmarkUser(string AppId, string UserId, string Name)
{
    public static BenchmarkUser Default { get; } = new("default", "bench-user", "Benchmark User");

    /// <summary>An app admin, who may send messages on behalf of any user (<c>sender_id</c>).</summary>
    public bool IsAdmin { get; init; }

    /// <summary><c>Authorization: JWT &lt;token&gt;</c>, as Chat21 clients send it.</summary>
    public HttpHeader JwtAuthorization(string jwtSecret, DateTimeOffset now) =>
        new("Authorization", "JWT " + ChatJwt.Mint(jwtSecret, this, now, TimeSpan.FromHours(1)));

    /// <summary>The identity headers the gateway would forward for this user, signed by the gateway's own code.</summary>
    public IReadOnlyList<HttpHeader> SignedIdentity(byte[] signingKey, DateTimeOffset now)
    {
        var headers = new HeaderDictionary();
        string[] roles = IsAdmin ? [Role.Admin] : [];
        IdentityHeaders.Write(headers, new CallerIdentity(AppId, UserId, Name, roles, TokenKind.Jwt), signingKey, now);
        return headers.Select(header => new HttpHeader(header.Key, header.Value.ToString())).ToArray();
    }
}
