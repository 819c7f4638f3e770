using System.Text.Unicode;
using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// The named scenarios against a running platform, each through the gateway and, when the targets allow,
/// straight to the service behind it (the baseline the gateway's overhead is measured against).
/// </summary>
public static class PlatformScenarios
{
    /// <summary>GET the caller's groups: the cheapest authenticated read the gateway forwards.</summary>
    public const string GatewayGet = "gateway-get";

    /// <summary>POST a new group with a unique name per request: a write through auth, service, database and bus.</summary>
    public const string CreateGroup = "create-group";

    public const string ViaGateway = "gateway";
    public const string ViaDirect = "direct";

    private static readonly HttpHeader Json = new("Content-Type", "application/json");
    private static long groupNumber;

    public static IReadOnlyList<string> Names { get; } = [GatewayGet, CreateGroup];

    /// <summary>The scenario through the gateway, then direct to the service if its URL and signing key are known.</summary>
    public static IReadOnlyList<Scenario> Create(string name, PlatformTargets targets) =>
        targets.HasDirectService
            ? [Create(name, ViaGateway, targets), Create(name, ViaDirect, targets)]
            : [Create(name, ViaGateway, targets)];

    public static Scenario Create(string name, string via, PlatformTargets targets)
    {
        // Every created group makes its creator a member: create-group writes as a user of its own, so the
        // reads (gateway-get, compare) stay the same cheap query however long create-group has run.
        var user = name == CreateGroup ? targets.User with { UserId = targets.User.UserId + "-writer" } : targets.User;
        var (server, caller) = via switch
        {
            ViaGateway => (targets.Gateway, Callers.Jwt(user, targets.JwtSecret)),
            ViaDirect when targets.HasDirectService => (targets.Service!, Callers.SignedIdentity(user, targets.SigningKey!)),
            _ => throw new ArgumentException($"No '{via}' route in these targets."),
        };
        var groups = new Uri(server, $"/api/{targets.User.AppId}/groups");
        return name switch
        {
            GatewayGet => Scenario.Fixed(name, via, RequestTemplate.Get(groups, []), caller),
            CreateGroup => Scenario.Generated(name, via, new RequestTemplate("POST", groups, [Json]), WriteGroupBody, caller),
            _ => throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", Names)}."),
        };
    }

    // Groups are named bench-1, bench-2, ... across every run of this process, written straight into the send buffer.
    private static int WriteGroupBody(Span<byte> destination)
    {
        var number = Interlocked.Increment(ref groupNumber);
        return Utf8.TryWrite(destination, $$$"""{"group_name":"bench-{{{number}}}","group_members":{"u1":1,"u2":1}}""", out var written)
            ? written
            : throw new InvalidOperationException("Group body does not fit the send buffer.");
    }
}
