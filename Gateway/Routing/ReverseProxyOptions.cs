namespace Chat.Gateway.Routing;

/// <summary>
/// The <c>ReverseProxy</c> configuration section, shaped like YARP's (Routes and Clusters) with the
/// gateway's own per-route fields: accepted token kinds, error dialect, body limit and timeouts.
/// </summary>
internal sealed class ReverseProxyOptions
{
    public Dictionary<string, RouteOptions> Routes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ClusterOptions> Clusters { get; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class RouteOptions
{
    public string? ClusterId { get; set; }

    public MatchOptions Match { get; set; } = new();

    /// <summary>Lower runs first; routes with the same order are tried most specific first.</summary>
    public int Order { get; set; }

    /// <summary>Token kinds accepted (<c>jwt</c>, <c>ek</c>, <c>ak</c>, <c>app</c>, <c>session</c>); empty means anonymous.</summary>
    public List<string> Auth { get; } = [];

    /// <summary><c>chat21</c>, <c>easemob</c>, <c>ai-chat</c>, <c>dathor</c> or <c>openai</c>.</summary>
    public string? Dialect { get; set; }

    /// <summary>Bytes; null keeps Kestrel's limit.</summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>How long the service may stay silent before its response headers (reset by request body progress).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How long a started response may stay silent; longer than any SSE heartbeat.</summary>
    public TimeSpan? IdleTimeout { get; set; }
}

internal sealed class MatchOptions
{
    public string? Path { get; set; }

    public List<string> Methods { get; } = [];
}

internal sealed class ClusterOptions
{
    public Dictionary<string, DestinationOptions> Destinations { get; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class DestinationOptions
{
    public string? Address { get; set; }
}
