using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// Where a running platform is and the secrets to call it: the gateway (with the app's JWT secret) and,
/// optionally, the services behind it directly (with the gateway's identity-signing key).
/// </summary>
public sealed record PlatformTargets(Uri Gateway, string JwtSecret, byte[]? SigningKey = null)
{
    public const int DefaultListeners = 64;

    public BenchmarkUser User { get; init; } = BenchmarkUser.Default;

    /// <summary>The Groups service's own address: <c>gateway-get</c> and <c>create-group</c> also run straight against it.</summary>
    public Uri? Groups { get; init; }

    /// <summary>The Messaging service's own address: the <c>send-*</c> scenarios also run straight against it.</summary>
    public Uri? Messaging { get; init; }

    /// <summary>How many event streams <c>send-sse</c> opens, one per listening user.</summary>
    public int Listeners { get; init; } = DefaultListeners;

    /// <summary>The routes to <paramref name="service"/>: the gateway, and the service itself when its address and the signing key are known.</summary>
    public IReadOnlyList<string> RoutesTo(Uri? service) => service is not null && SigningKey is not null
        ? [PlatformScenarios.ViaGateway, PlatformScenarios.ViaDirect]
        : [PlatformScenarios.ViaGateway];

    /// <summary>The server a route leads to and the headers by which <paramref name="user"/> is known on it.</summary>
    public (Uri Server, CallerHeaders Caller) Route(string via, Uri? service, BenchmarkUser user) => via switch
    {
        PlatformScenarios.ViaGateway => (Gateway, Callers.Jwt(user, JwtSecret)),
        PlatformScenarios.ViaDirect when service is not null && SigningKey is not null => (service, Callers.SignedIdentity(user, SigningKey)),
        _ => throw new ArgumentException($"No '{via}' route in these targets."),
    };
}
