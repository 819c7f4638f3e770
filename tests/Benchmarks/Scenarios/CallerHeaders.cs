using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>Headers saying who calls, made afresh whenever a scenario's requests are (re)encoded.</summary>
public delegate IReadOnlyList<HttpHeader> CallerHeaders(DateTimeOffset now);

public static class Callers
{
    public static CallerHeaders Anonymous { get; } = _ => [];

    /// <summary>Through the gateway: a Chat21 JWT signed with the app's secret.</summary>
    public static CallerHeaders Jwt(BenchmarkUser user, string jwtSecret) => now => [user.JwtAuthorization(jwtSecret, now)];

    /// <summary>Straight to a service: the identity headers the gateway would add, signed with the internal key.</summary>
    public static CallerHeaders SignedIdentity(BenchmarkUser user, byte[] signingKey) => now => user.SignedIdentity(signingKey, now);
}
