using Chat.Gateway.Authentication;
using Chat.Gateway.Errors;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway.Routing;

/// <summary>
/// The compiled <c>ReverseProxy</c> route table: routes sorted once by order and specificity, matched
/// in turn against the request path.
/// </summary>
internal sealed class RouteTable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(100);
    private static readonly string[] KnownKinds =
        [TokenKind.Jwt, TokenKind.UserKey, TokenKind.AdminKey, TokenKind.AppToken, TokenKind.Session, TokenKind.Operator];

    private readonly GatewayRoute[] _routes;

    private RouteTable(GatewayRoute[] routes, Cluster[] clusters) => (_routes, Clusters) = (routes, clusters);

    /// <summary>Every cluster a route forwards to, each once.</summary>
    public IReadOnlyList<Cluster> Clusters { get; }

    /// <summary>The first route whose path and method match; when only paths match, <paramref name="pathOnly"/>.</summary>
    public RouteMatch? Match(string method, string path, out GatewayRoute? pathOnly)
    {
        pathOnly = null;
        foreach (var route in _routes)
        {
            if (!route.Template.TryMatch(path, out var appId, out var orgName))
            {
                continue;
            }

            if (route.AllowsMethod(method))
            {
                return new RouteMatch(route, appId, orgName);
            }

            pathOnly ??= route;
        }

        return null;
    }

    /// <summary>The dialect for a path no route matched, guessed from its API family's prefix.</summary>
    public static ErrorDialect DialectForUnmatched(string path) =>
        path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) ? ErrorDialect.OpenAi
        : path.StartsWith("/v8/", StringComparison.OrdinalIgnoreCase) ? ErrorDialect.Dathor
        : ErrorDialect.Chat21;

    public static RouteTable Build(
        ReverseProxyOptions options, IConfiguration configuration, IEnumerable<ITokenValidator> validators, ILogger logger)
    {
        var validatorsByKind = validators.ToDictionary(validator => validator.Kind, StringComparer.Ordinal);
        var clusters = options.Clusters.ToDictionary(
            pair => pair.Key,
            pair => BuildCluster(pair.Key, pair.Value, configuration),
            StringComparer.OrdinalIgnoreCase);

        // A path under another API family's prefix is never an Easemob org.
        var familyPrefixes = options.Routes.Values
            .Select(route => route.Match.Path is { } path ? RouteTemplate.FirstLiteral(path) : null)
            .OfType<string>()
            .ToArray();
        var routes = options.Routes
            .Select(pair => BuildRoute(pair.Key, pair.Value, clusters, validatorsByKind, familyPrefixes))
            .OrderBy(route => route.Order)
            .ThenByDescending(route => route.Template.LiteralCount)
            .ThenBy(route => route.Template.HasCatchAll)
            .ThenBy(route => route.Id, StringComparer.Ordinal)
            .ToArray();
        if (routes.Length == 0)
        {
            throw new InvalidOperationException("ReverseProxy:Routes is empty: the gateway has nothing to route.");
        }

        var unvalidated = routes.SelectMany(route => route.AuthKinds).Distinct().Where(kind => !validatorsByKind.ContainsKey(kind)).ToList();
        if (unvalidated.Count > 0)
        {
            logger.LogWarning("Token kinds with no validator yet, refused on every route: {Kinds}", string.Join(", ", unvalidated));
        }

        return new RouteTable(routes, [.. clusters.Values]);
    }

    private static Cluster BuildCluster(string id, ClusterOptions options, IConfiguration configuration)
    {
        var destinations = options.Destinations
            .SelectMany(destination => ServiceDiscovery.Resolve(
                destination.Value.Address
                    ?? throw new InvalidOperationException($"ReverseProxy:Clusters:{id}:Destinations:{destination.Key}:Address is missing."),
                configuration))
            .ToArray();
        return destinations.Length == 0
            ? throw new InvalidOperationException($"ReverseProxy:Clusters:{id} has no destinations.")
            : new Cluster(id, destinations);
    }

    private static GatewayRoute BuildRoute(
        string id,
        RouteOptions options,
        Dictionary<string, Cluster> clusters,
        Dictionary<string, ITokenValidator> validatorsByKind,
        string[] familyPrefixes)
    {
        var section = $"ReverseProxy:Routes:{id}";
        if (options.ClusterId is null || !clusters.TryGetValue(options.ClusterId, out var cluster))
        {
            throw new InvalidOperationException($"{section}:ClusterId '{options.ClusterId}' names no cluster.");
        }

        var template = RouteTemplate.Parse(
            options.Match.Path ?? throw new InvalidOperationException($"{section}:Match:Path is missing."), familyPrefixes);
        var dialect = ErrorDialect.Find(options.Dialect)
            ?? throw new InvalidOperationException($"{section}:Dialect '{options.Dialect}' is not chat21, easemob, ai-chat, dathor or openai.");

        var unknown = options.Auth.Where(kind => !KnownKinds.Contains(kind, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{section}:Auth names unknown token kinds: {string.Join(", ", unknown)}.");
        }

        return new GatewayRoute
        {
            Id = id,
            Template = template,
            Methods = options.Match.Methods.Select(method => method.ToUpperInvariant()).ToArray(),
            Order = options.Order,
            Cluster = cluster,
            AuthKinds = options.Auth.Distinct(StringComparer.Ordinal).ToArray(),
            Validators = options.Auth.Distinct(StringComparer.Ordinal)
                .Where(validatorsByKind.ContainsKey)
                .Select(kind => validatorsByKind[kind])
                .ToArray(),
            Dialect = dialect,
            MaxRequestBodySize = options.MaxRequestBodySize is < 0
                ? throw new InvalidOperationException($"{section}:MaxRequestBodySize must not be negative.")
                : options.MaxRequestBodySize,
            Timeout = Positive(options.Timeout, DefaultTimeout, $"{section}:Timeout"),
            IdleTimeout = Positive(options.IdleTimeout, DefaultIdleTimeout, $"{section}:IdleTimeout"),
        };
    }

    private static TimeSpan Positive(TimeSpan? value, TimeSpan fallback, string key) =>
        value switch
        {
            null => fallback,
            { } positive when positive > TimeSpan.Zero && positive.TotalMilliseconds <= int.MaxValue => positive,
            _ => throw new InvalidOperationException($"{key} must be a positive duration."),
        };
}
