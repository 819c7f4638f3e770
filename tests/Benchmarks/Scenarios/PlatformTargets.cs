using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// Where a running platform is and the secrets to call it: the gateway (with the app's JWT secret) and,
/// optionally, a service directly (with the gateway's identity-signing key).
/// </summary>
public sealed record PlatformTargets(Uri Gateway, string JwtSecret, Uri? Service = null, byte[]? SigningKey = null)
{
    public BenchmarkUser User { get; init; } = BenchmarkUser.Default;

    public bool HasDirectService => Service is not null && SigningKey is not null;
}
