using System.Text.Unicode;
using Chat.Benchmarks.Load;
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

    public static IReadOnlyList<string> Names { get; } =
        [GatewayGet, CreateGroup, MessagingScenarios.SendDirect, MessagingScenarios.SendGroup, MessagingScenarios.SendSse];

    /// <summary>Runs the named scenario through the gateway, then direct to its service if the targets name that service.</summary>
    public static async Task<IReadOnlyList<RunResult>> RunAsync(
        string name, PlatformTargets targets, LoadOptions options, CancellationToken cancellationToken = default)
    {
        if (MessagingScenarios.Names.Contains(name))
        {
            return await MessagingScenarios.RunAsync(name, targets, options, cancellationToken);
        }

        var results = new List<RunResult>();
        foreach (var scenario in Create(name, targets))
        {
            results.Add(await LoadRunner.RunAsync(scenario, options, cancellationToken));
        }

        return results;
    }

    /// <summary>A Groups scenario through the gateway, then direct to the service if its URL and signing key are known.</summary>
    public static IReadOnlyList<Scenario> Create(string name, PlatformTargets targets) =>
        [.. targets.RoutesTo(targets.Groups).Select(via => Create(name, via, targets))];

    public static Scenario Create(string name, string via, PlatformTargets targets)
    {
        // Every created group makes its creator a member: create-group writes as a user of its own, so the
        // reads (gateway-get, compare) stay the same cheap query however long create-group has run.
        var user = name == CreateGroup ? targets.User with { UserId = targets.User.UserId + "-writer" } : targets.User;
        var (server, caller) = targets.Route(via, targets.Groups, user);
        var groups = new Uri(server, $"/api/{targets.User.AppId}/groups");
        return name switch
        {
            GatewayGet => Scenario.Fixed(name, via, RequestTemplate.Get(groups, []), caller),
            CreateGroup => Scenario.Generated(name, via, new RequestTemplate("POST", groups, [Json]), WriteGroupBody, caller),
            _ => throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", Names)}."),
        };
    }

    // Groups are named bench-1, bench-2, ... across every run of this process, written straight into the send buffer.
    private static int WriteGroupBody(Span<byte> destination, long _)
    {
        var number = Interlocked.Increment(ref groupNumber);
        return Utf8.TryWrite(destination, $$$"""{"group_name":"bench-{{{number}}}","group_members":{"u1":1,"u2":1}}""", out var written)
            ? written
            : throw new InvalidOperationException("Group body does not fit the send buffer.");
    }
}
